import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/**
 * An API error as a readable line, placed next to what caused it, in the desk's language: a short
 * sentence for the codes agents meet and, for refused input, the fields by their names. The
 * server's own message (English, naming fields and values) follows only in the English desk; it
 * stands alone only for a code the desk has no sentence for.
 */
export function ErrorText({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const message = error instanceof Error ? error.message : t('apiError.unknown');
  const code = error instanceof ApiError ? error.code : undefined;
  const key = code ? `apiError.${code.replace('.', '_')}` : '';
  const summary = key && i18n.exists(key) ? t(key) : null;
  const issues =
    error instanceof ApiError
      ? ((error.details as { issues?: { path?: (string | number)[] }[] } | undefined)?.issues ?? [])
      : [];
  const fields = [...new Set(issues.map((i) => String(i.path?.[0] ?? '')).filter(Boolean))].map((f) =>
    i18n.exists(`fieldName.${f}`) ? t(`fieldName.${f}`) : f,
  );
  const showDetail = summary !== null && summary !== message && i18n.language === 'en';
  return (
    <p className="error" role="alert" data-code={code}>
      {summary ?? message}
      {summary && fields.length > 0 && (
        <span className="fields">{t('fieldName.list', { fields: fields.join(t('timeline.listSep')) })}</span>
      )}
      {showDetail && <span className="detail"> — {message}</span>}
    </p>
  );
}
