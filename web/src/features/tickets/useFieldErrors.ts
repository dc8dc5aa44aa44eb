import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';

/**
 * A refused form's messages per field, in the desk's language: a sentence of ours for the fields
 * the forms know (`validation.<field>`), the server's own words otherwise. A 422 that names its
 * field (e.g. ticket.category_type_mismatch) lands by that field too.
 */
export function useFieldErrors(error: unknown): Record<string, string> {
  const { t, i18n } = useTranslation();
  if (!(error instanceof ApiError)) return {};
  const raw = error.fieldErrors();
  const named = (error.details as { field?: unknown } | undefined)?.field;
  if (typeof named === 'string' && !raw[named]) raw[named] = error.message;
  return Object.fromEntries(
    Object.entries(raw).map(([field, message]) => {
      const key = `validation.${field}`;
      const codeKey = `apiError.${error.code.replace('.', '_')}`;
      if (field === named && i18n.exists(codeKey)) return [field, t(codeKey)];
      return [field, i18n.exists(key) ? t(key) : message];
    }),
  );
}
