import { DEFAULT_MESSAGE_KIND } from '../../../../src/core/sla/milestones';
import { MESSAGE_KINDS, type MessageKind } from '../../../../src/core/tickets/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './message-kind.css';
import { fillPlaceholders, placeholderValues } from '../../../../src/core/replies/placeholders';
import { addMessage } from '../../api/tickets';
import { applyMacro, type Reply } from '../../api/replies';
import type { Ticket } from '../../api/types';
import { ErrorText } from '../../components/ErrorText';
import { describeActions } from '../replies/describeActions';
import { ReplyPicker, type ReplyPickerHandle } from '../replies/ReplyPicker';
import { useGrades } from './useGrades';

export type ComposerHandle = {
  open(visibility: 'public' | 'internal'): void;
  /** Adds text to the reply (a knowledge answer), switching to the public reply when allowed. */
  insert(text: string): void;
};

export const Composer = forwardRef<
  ComposerHandle,
  { ticket: Ticket; agentName: string; canReply: boolean; canNote: boolean; onSent: () => void }
>(function Composer({ ticket, agentName, canReply, canNote, onSent }, ref) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const grades = useGrades();
  const [visibility, setVisibility] = useState<'public' | 'internal'>(canReply ? 'public' : 'internal');
  const [body, setBody] = useState('');
  // What a public reply is: the SLA policy says which clocks each kind meets (an acknowledgement is no handling plan).
  const [kind, setKind] = useState<MessageKind>(DEFAULT_MESSAGE_KIND);
  const [macro, setMacro] = useState<Reply | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<ReplyPickerHandle>(null);
  useImperativeHandle(ref, () => ({
    open(v) {
      setVisibility(v);
      box.current?.focus();
    },
    insert(text) {
      if (canReply) setVisibility('public');
      setBody((b) => (b.trim() ? `${b}\n` : '') + text);
      box.current?.focus();
    },
  }));
  const done = () => {
    setBody('');
    setMacro(null);
    setKind(DEFAULT_MESSAGE_KIND);
    void client.invalidateQueries({ queryKey: ['tickets'] });
    onSent();
  };
  const send = useMutation({
    mutationFn: () =>
      addMessage(ticket.id, visibility === 'public' ? { visibility, body, kind } : { visibility, body }),
    onSuccess: done,
  });
  const runMacro = useMutation({
    mutationFn: (m: Reply) => applyMacro(ticket.id, m.id, body.trim() ? { visibility, body: body.trim() } : undefined),
    onSuccess: done,
  });
  // The values as this viewer sees the ticket: the number is the masked one the ticket view carries.
  const values = placeholderValues(
    {
      ticketNumber: ticket.number,
      subject: ticket.subject,
      customerName: ticket.customer.name,
      contactNumber: ticket.contactNumber,
      agentName,
    },
    { masksFreeText: false },
  );
  const insert = (reply: Reply) => {
    if (reply.body) setBody((b) => (b ? `${b}\n` : '') + fillPlaceholders(reply.body, values));
    if (reply.isMacro) setMacro(reply);
    box.current?.focus();
  };
  const submit = () => {
    if (macro) runMacro.mutate(macro);
    else if (body.trim()) send.mutate();
  };
  const busy = send.isPending || runMacro.isPending;

  return (
    <form
      className={`composer ${visibility}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => {
        // Ctrl+K (⌘K) searches managed replies from anywhere in the composer.
        if (e.key === 'k' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          picker.current?.focus();
        }
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
        <ReplyPicker ref={picker} onPick={insert} onLeave={() => box.current?.focus()} />
      </div>
      {macro && (
        <div className="macro-chip" role="status">
          <span className="badge macro">{t('replies.macro')}</span> <strong>{macro.name}</strong>
          <span className="muted"> — {describeActions(macro.actions, t, grades.label).join('，')}</span>
          <button type="button" className="link" onClick={() => setMacro(null)} aria-label={t('replies.dropMacro')}>
            ×
          </button>
        </div>
      )}
      <textarea
        ref={box}
        name="body"
        rows={4}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && (body.trim() || macro)) submit();
        }}
        aria-label={visibility === 'public' ? t('ticket.reply') : t('ticket.note')}
      />
      {visibility === 'public' && !macro && (
        <label className="message-kind">
          {t('messageKind.label')}{' '}
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as MessageKind)}>
            {MESSAGE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`messageKind.${k}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      <ErrorText error={send.error ?? runMacro.error} />
      <button type="submit" className="primary" disabled={busy || (!body.trim() && !macro)}>
        {busy
          ? t('ticket.sending')
          : macro
            ? body.trim()
              ? t('replies.sendAndApply')
              : t('replies.apply')
            : t('ticket.send')}
      </button>
    </form>
  );
});
