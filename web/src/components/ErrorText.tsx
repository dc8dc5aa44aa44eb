import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/**
 * An API error as a readable line, placed next to what caused it: a short sentence in the desk's
 * language for the codes agents meet, then the server's own message (which names fields and values).
 */
export function ErrorText({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const message = error instanceof Error ? error.message : t('apiError.unknown');
  const code = error instanceof ApiError ? error.code : undefined;
  const key = code ? `apiError.${code.replace('.', '_')}` : '';
  const summary = key && i18n.exists(key) ? t(key) : null;
  return (
    <p className="error" role="alert" data-code={code}>
      {summary ?? message}
      {summary && summary !== message && <span className="detail"> — {message}</span>}
    </p>
  );
}
