import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../i18n';
import { portalApi } from '../api/portal';
import { StatusBadge } from '../components/Badges';
import { ErrorText } from '../components/ErrorText';

/** One request: the public conversation, a reply or a photo, and confirming the resolution. */
export function TicketView({ id, onBack }: { id: string; onBack: (() => void) | undefined }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [text, setText] = useState('');
  const ticket = useQuery({
    queryKey: ['portal-ticket', id],
    queryFn: () => portalApi.ticket(id),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['portal-ticket', id] });
  const reply = useMutation({
    mutationFn: () => portalApi.reply(id, text),
    onSuccess: () => (setText(''), refresh()),
  });
  const confirm = useMutation({
    mutationFn: (solved: boolean) => portalApi.confirm(id, solved),
    onSuccess: refresh,
  });
  const attach = useMutation({
    mutationFn: (file: File) => portalApi.attach(id, file),
  });
  if (!ticket.data) return <ErrorText error={ticket.error} />;
  const tk = ticket.data;
  return (
    <section className="card">
      {onBack && (
        <button type="button" className="link" onClick={onBack}>
          ← {t('portal.back')}
        </button>
      )}
      <h1>
        {tk.number} <StatusBadge status={tk.status} />
      </h1>
      <ol className="timeline">
        {tk.timeline.map((item, i) =>
          item.kind === 'message' ? (
            <li key={i} className={`message ${item.fromCustomer ? 'customer' : 'public'}`}>
              <div className="meta">
                {item.fromCustomer ? t('portal.you') : t('portal.service')} · {formatDateTime(item.at, i18n.language)}
              </div>
              <div className="body" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
            </li>
          ) : (
            <li key={i} className="event">
              {formatDateTime(item.at, i18n.language)} · {t(`status.${item.status}`, { defaultValue: item.status })}
            </li>
          ),
        )}
      </ol>
      {tk.canConfirm && (
        <div className="actions">
          <button type="button" className="primary" onClick={() => confirm.mutate(true)}>
            {t('portal.solved')}
          </button>
          <button type="button" onClick={() => confirm.mutate(false)}>
            {t('portal.notSolved')}
          </button>
        </div>
      )}
      {!tk.canConfirm && tk.canReopen && (
        <button type="button" onClick={() => confirm.mutate(false)}>
          {t('portal.notSolved')}
        </button>
      )}
      <ErrorText error={confirm.error} />
      {tk.status !== 'closed' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) reply.mutate();
          }}
        >
          <label>
            {t('portal.reply')}
            <textarea name="reply" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <ErrorText error={reply.error} />
          <button type="submit" disabled={reply.isPending || !text.trim()}>
            {t('portal.send')}
          </button>
          <label>
            {t('portal.attach')}
            <input
              type="file"
              accept="image/*,application/pdf"
              onChange={(e) => e.target.files?.[0] && attach.mutate(e.target.files[0])}
              disabled={attach.isPending}
            />
          </label>
          {attach.data && <p className="ok">✓ {attach.data.fileName}</p>}
          <ErrorText error={attach.error} />
        </form>
      )}
    </section>
  );
}
