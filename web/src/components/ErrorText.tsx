import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

type Issue = { path?: (string | number)[]; code?: string };

/**
 * An API error as a readable line, placed next to what caused it, in the desk's language: a short
 * sentence for the codes agents meet and, for refused input, each field by its name (`fields`, the
 * screen's own words, before the desk's `fieldName`), which entry of a list, and what is wrong —
 * never the API's field paths. The server's own message (English) follows only in the English desk
 * and only for other codes; it stands alone only for a code the desk has no sentence for.
 */
export function ErrorText({ error, fields = {} }: { error: unknown; fields?: Record<string, string> }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const message = error instanceof Error ? error.message : t('apiError.unknown');
  const code = error instanceof ApiError ? error.code : undefined;
  const key = code ? `apiError.${code.replace('.', '_')}` : '';
  const summary = key && i18n.exists(key) ? t(key) : null;
  const issues = error instanceof ApiError ? ((error.details as { issues?: Issue[] } | undefined)?.issues ?? []) : [];
  const fieldName = (f: string) =>
    fields[f] ?? (i18n.exists(`fieldName.${f}`) ? t(`fieldName.${f}`) : f.replace(/([a-z])([A-Z])/g, '$1 $2'));
  const problems = [
    ...new Set(
      issues.flatMap(({ path = [], code: issue }) => {
        const [f, item] = path.map(String);
        if (!f) return [];
        const field =
          item && /^\d+$/.test(item)
            ? t('inputProblem.item', { field: fieldName(f), n: Number(item) + 1 })
            : fieldName(f);
        return [t(i18n.exists(`inputProblem.${issue}`) ? `inputProblem.${issue}` : 'inputProblem.other', { field })];
      }),
    ),
  ];
  const showDetail = summary !== null && summary !== message && i18n.language === 'en' && issues.length === 0;
  return (
    <p className="error" role="alert" data-code={code}>
      {summary ?? message}
      {summary && problems.length > 0 && (
        <span className="fields">{t('fieldName.list', { fields: problems.join(t('inputProblem.sep')) })}</span>
      )}
      {showDetail && <span className="detail"> — {message}</span>}
    </p>
  );
}
