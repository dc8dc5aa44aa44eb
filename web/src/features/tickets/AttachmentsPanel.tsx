import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/ErrorText';
import { deskApi } from '../../api/desk';

const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${Math.ceil(bytes / 1024)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Files on the ticket: download links (access follows the ticket) and an upload (type and size checked by the server). */
export function AttachmentsPanel({ ticketId, canUpload }: { ticketId: string; canUpload: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const attachments = useQuery({
    queryKey: ['ticket', ticketId, 'attachments'],
    queryFn: () => deskApi.attachments(ticketId),
  });
  const upload = useMutation({
    mutationFn: (file: File) => deskApi.attach(ticketId, file),
    onSettled: () => {
      if (input.current) input.current.value = '';
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
  const items = attachments.data?.items ?? [];
  return (
    <section className="panel attachments" aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t('ticket.attachments')}</h2>
      {attachments.data && items.length === 0 && <p className="muted">{t('ticket.noAttachments')}</p>}
      <ul>
        {items.map((a) => (
          <li key={a.id}>
            <a href={deskApi.attachmentUrl(a.id)} download={a.fileName}>
              {a.fileName}
            </a>{' '}
            <span className="muted">{size(a.size)}</span>
          </li>
        ))}
      </ul>
      {canUpload && (
        <label className="upload">
          {upload.isPending ? t('ticket.uploading') : t('ticket.upload')}
          <input
            ref={input}
            type="file"
            name="file"
            onChange={(e) => e.target.files?.[0] && upload.mutate(e.target.files[0])}
            disabled={upload.isPending}
          />
        </label>
      )}
      <ErrorText error={upload.error} />
    </section>
  );
}
