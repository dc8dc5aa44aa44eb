import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchClassificationSuggestion, updateTicket, type ClassificationSuggestion } from '../../api/tickets';
import { ErrorText } from '../../components/ErrorText';
import { storeTicket } from './storeTicket';
import type { Ticket } from '../../api/types';
import { useCategories } from './useCategories';
import { useGrades } from './useGrades';
import './classification.css';

export type Classification = { type: Ticket['type']; categoryId: string | null; grade: string };

/** The text, once it has stopped changing for a moment (no request per keystroke). */
function useSettled(text: string, ms = 400): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), ms);
    return () => clearTimeout(timer);
  }, [text, ms]);
  return settled;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * The suggested classification for a text with its evidence (keywords found, similar resolved
 * tickets), to accept in one click or to ignore; another suggested category can be taken instead.
 */
export function ClassificationHint({
  queryKey,
  load,
  text,
  current,
  onAccept,
  busy,
}: {
  /** What identifies the text (the ticket, or the form's words). */
  queryKey: readonly unknown[];
  load: () => Promise<ClassificationSuggestion>;
  /** The words the suggestion is for; nothing is asked under four characters. */
  text: string;
  current: Partial<Classification>;
  onAccept: (c: Classification) => void;
  busy?: boolean;
}) {
  const { t } = useTranslation();
  const categories = useCategories();
  const grades = useGrades();
  const settled = useSettled(text);
  const asked = settled.trim().length >= 4;
  const result = useQuery({ queryKey: ['classification', ...queryKey, settled], queryFn: load, enabled: asked });
  const s = asked ? result.data?.suggestion : null;
  if (!s) return null;
  // The first category when it fits the suggested type; the others as alternatives.
  const fits = (id: string) => [null, s.type.value].includes(categories.typeOf(id));
  const first = s.categories[0] && fits(s.categories[0].id) ? s.categories[0] : null;
  const others = s.categories.filter((c) => c !== first);
  // A category of one type brings its type with it (the server refuses a mismatch).
  const pick = (categoryId: string) =>
    onAccept({ type: categories.typeOf(categoryId) ?? s.type.value, categoryId, grade: s.grade.value });
  const accepted =
    current.type === s.type.value && current.categoryId === (first?.id ?? null) && current.grade === s.grade.value;
  const cues = [...new Set([...s.type.cues, ...(first?.keywords ?? []), ...s.grade.cues])];
  return (
    <div className="classification-hint" role="status" aria-live="polite">
      <span className="label">{t('classify.suggested')}</span>{' '}
      <strong>
        {[t(`type.${s.type.value}`), first && categories.nameOf(first.id), grades.label(s.grade.value)]
          .filter(Boolean)
          .join(' · ')}
      </strong>{' '}
      <span className="muted">{t('classify.confidence', { value: pct(s.confidence) })}</span>{' '}
      {accepted ? (
        <span className="accepted">{t('classify.accepted')}</span>
      ) : (
        <button
          type="button"
          className="accept"
          disabled={busy}
          onClick={() =>
            first ? pick(first.id) : onAccept({ type: s.type.value, categoryId: null, grade: s.grade.value })
          }
        >
          {t('classify.accept')}
        </button>
      )}
      <p className="evidence muted">
        {cues.length > 0 && t('classify.cues', { words: cues.join(t('classify.sep')) })}
        {first && first.similar > 0 && ` ${t('classify.similar', { count: first.similar })}`}
      </p>
      {others.length > 0 && (
        <p className="others">
          {t('classify.others')}{' '}
          {others.map((c) => (
            <button key={c.id} type="button" className="link" disabled={busy} onClick={() => pick(c.id)}>
              {categories.nameOf(c.id)}
            </button>
          ))}
        </p>
      )}
    </div>
  );
}

/** On an open ticket nobody has classified yet (a channel message the suggestion was not sure of). */
export function TicketClassificationHint({ ticket }: { ticket: Ticket }) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (c: Classification) => updateTicket(ticket.id, { ...c, version: ticket.version }),
    onSuccess: (tk) => {
      storeTicket(client, tk);
      void client.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
  return (
    <>
      <ClassificationHint
        queryKey={['ticket', ticket.id]}
        load={() => fetchClassificationSuggestion(ticket.id)}
        text={`${ticket.subject} ${ticket.description}`}
        current={{ type: ticket.type, categoryId: ticket.category?.id ?? null, grade: ticket.grade }}
        onAccept={(c) => save.mutate(c)}
        busy={save.isPending}
      />
      <ErrorText error={save.error} />
    </>
  );
}
