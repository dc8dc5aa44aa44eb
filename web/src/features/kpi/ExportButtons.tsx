import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { kpiApi, type ExportRequest } from '../../api/kpi';
import { ErrorText } from '../../components/ErrorText';
import './export.css';

/**
 * CSV and Excel exports of what is on screen: asks the server for one, shows its progress (rows
 * done of total) while the export job builds it, then the download link.
 */
export function ExportButtons(props: { kind: ExportRequest['kind']; query: Record<string, string> }) {
  const { t, i18n } = useTranslation();
  const [id, setId] = useState<string | null>(null);
  const ask = useMutation({
    mutationFn: (format: ExportRequest['format']) =>
      kpiApi.requestExport({
        kind: props.kind,
        format,
        lang: i18n.language.startsWith('en') ? 'en' : 'zh',
        query: props.query,
      }),
    onSuccess: (e) => setId(e.id),
  });
  const job = useQuery({
    queryKey: ['kpi', 'export', id],
    queryFn: () => kpiApi.export(id!),
    enabled: id !== null,
    refetchInterval: (q) =>
      q.state.data && ['done', 'failed', 'expired'].includes(q.state.data.status) ? false : 1000,
  });
  const e = job.data;
  const busy = ask.isPending || (e !== undefined && (e.status === 'queued' || e.status === 'running'));
  return (
    <span className="export-buttons">
      {(['csv', 'xlsx'] as const).map((format) => (
        <button key={format} type="button" disabled={busy} onClick={() => ask.mutate(format)} data-export={format}>
          {t(`kpi.export.${format}`)}
        </button>
      ))}
      {e && (e.status === 'queued' || e.status === 'running') && (
        <span className="export-progress" role="status">
          <progress value={e.done} max={e.total ?? undefined} />{' '}
          {e.total === null ? t('kpi.export.queued') : t('kpi.export.running', { done: e.done, total: e.total })}
        </span>
      )}
      {e?.status === 'done' && (
        <a className="export-download" href={kpiApi.downloadHref(e.id)} download={e.fileName ?? undefined}>
          {t('kpi.export.download', { file: e.fileName })}
        </a>
      )}
      {e?.status === 'failed' && <span className="error">{t('kpi.export.failed', { error: e.error })}</span>}
      {e?.status === 'expired' && <span className="error">{t('kpi.export.expired')}</span>}
      <ErrorText error={ask.error ?? job.error} />
    </span>
  );
}
