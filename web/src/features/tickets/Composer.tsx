import { useMutation } from '@tanstack/react-query';
import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import type { Ticket } from '../../api/types';
import { ErrorText } from '../../components/ErrorText';

export type ComposerHandle = { open(visibility: 'public' | 'internal'): void };

/** Canned replies; {{placeholders}} are filled from the ticket and the agent. */
const MACROS = {
  zh: [
    {
      name: '受理确认',
      body: '{{customer.name}}您好，您的问题已登记（工单号 {{ticket.number}}），我们会尽快处理并与您联系。',
    },
    {
      name: '上门预约',
      body: '{{customer.name}}您好，我们已安排装维人员上门检修，稍后会电话与您预约时间。客服{{agent.name}}',
    },
    { name: '处理完毕', body: '{{customer.name}}您好，工单 {{ticket.number}} 已处理完毕，如仍有问题请随时联系我们。' },
  ],
  en: [
    {
      name: 'Acknowledge',
      body: 'Dear {{customer.name}}, we have registered your request ({{ticket.number}}) and will get back to you shortly.',
    },
    {
      name: 'Visit booked',
      body: 'Dear {{customer.name}}, an engineer will visit to fix the problem; we will call you to agree a time. {{agent.name}}',
    },
    {
      name: 'Done',
      body: 'Dear {{customer.name}}, ticket {{ticket.number}} has been handled. Please contact us if anything is still wrong.',
    },
  ],
};

function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

export const Composer = forwardRef<
  ComposerHandle,
  { ticket: Ticket; agentName: string; canReply: boolean; canNote: boolean; onSent: () => void }
>(function Composer({ ticket, agentName, canReply, canNote, onSent }, ref) {
  const { t, i18n } = useTranslation();
  const [visibility, setVisibility] = useState<'public' | 'internal'>(canReply ? 'public' : 'internal');
  const [body, setBody] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(ref, () => ({
    open(v) {
      setVisibility(v);
      box.current?.focus();
    },
  }));
  const send = useMutation({
    mutationFn: () => post(`/api/v1/tickets/${ticket.id}/messages`, { visibility, body }),
    onSuccess: () => {
      setBody('');
      onSent();
    },
  });
  const macros = MACROS[i18n.language === 'en' ? 'en' : 'zh'];
  const values = { 'customer.name': ticket.customer.name, 'ticket.number': ticket.number, 'agent.name': agentName };

  return (
    <form
      className={`composer ${visibility}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (body.trim()) send.mutate();
      }}
    >
      <div className="tabs" role="tablist">
        {/* Only the kinds of message this person may add (the ticket's `reply` / `add_note`). */}
        {canReply && (
          <button
            type="button"
            role="tab"
            aria-selected={visibility === 'public'}
            onClick={() => setVisibility('public')}
          >
            {t('ticket.reply')} (r)
          </button>
        )}
        {canNote && (
          <button
            type="button"
            role="tab"
            aria-selected={visibility === 'internal'}
            onClick={() => setVisibility('internal')}
          >
            {t('ticket.note')} (n)
          </button>
        )}
        <select
          aria-label={t('ticket.macro')}
          value=""
          onChange={(e) =>
            e.target.value && setBody((b) => (b ? `${b}\n` : '') + fillPlaceholders(e.target.value, values))
          }
        >
          <option value="">{t('ticket.macro')}…</option>
          {macros.map((m) => (
            <option key={m.name} value={m.body}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <textarea
        ref={box}
        name="body"
        rows={4}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && body.trim()) send.mutate();
        }}
        aria-label={visibility === 'public' ? t('ticket.reply') : t('ticket.note')}
      />
      <ErrorText error={send.error} />
      <button type="submit" className="primary" disabled={send.isPending || !body.trim()}>
        {send.isPending ? t('ticket.sending') : t('ticket.send')}
      </button>
    </form>
  );
});
