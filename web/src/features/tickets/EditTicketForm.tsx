import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { updateTicket, type TicketUpdateBody } from '../../api/tickets';
import type { Ticket } from '../../api/types';
import { ErrorText } from '../../components/ErrorText';
import { cleanDetails, FaultFields, type FaultDetails } from './FaultFields';
import { storeTicket } from './storeTicket';
import { useCategories } from './useCategories';
import { useFieldErrors } from './useFieldErrors';
import { useGrades } from './useGrades';
import { SubjectFields } from './SubjectFields';

const TYPES = ['inquiry', 'fault', 'complaint', 'service_request'] as const;
const MSISDN = /^(\+?86)?1\d{10}$|^0\d{9,11}$/;

export const parseTags = (text: string) => [
  ...new Set(
    text
      .split(/[,，、\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];

/**
 * Correct a ticket: type, category (only those that fit the type, or left open), grade, subject,
 * description, tags, contact number and the fault details. Only what changed is sent, with the
 * version read; the server records each change on the timeline and recomputes the priority.
 */
export function EditTicketForm({ ticket: current, onDone }: { ticket: Ticket; onDone: () => void }) {
  const { t } = useTranslation();
  // The ticket as it was when the form opened: live updates refresh the page behind the form, but
  // the edit is compared with, and sent with the version of, what the agent started from — so a
  // change someone else made meanwhile is refused (ticket.version_conflict), not overwritten.
  const [ticket] = useState(current);
  const client = useQueryClient();
  const grades = useGrades();
  const categories = useCategories();
  const [type, setType] = useState(ticket.type);
  const [categoryId, setCategoryId] = useState(ticket.category?.id ?? '');
  const [grade, setGrade] = useState(ticket.grade);
  const [subject, setSubject] = useState(ticket.subject);
  const [description, setDescription] = useState(ticket.description);
  const [tags, setTags] = useState(ticket.tags.join(', '));
  // The stored number comes masked: the field holds a new number, empty keeps the one on file.
  const [contactNumber, setContactNumber] = useState('');
  const [clearContact, setClearContact] = useState(false);
  const [details, setDetails] = useState<FaultDetails>(ticket.details);
  const [localError, setLocalError] = useState<Record<string, string>>({});

  const options = categories.fitting(type);
  const body = (): TicketUpdateBody => {
    const changes: TicketUpdateBody = { version: ticket.version };
    if (type !== ticket.type) changes.type = type;
    if ((categoryId || null) !== (ticket.category?.id ?? null)) changes.categoryId = categoryId || null;
    if (grade !== ticket.grade) changes.grade = grade;
    if (subject.trim() !== ticket.subject) changes.subject = subject.trim();
    if (description !== ticket.description) changes.description = description;
    const nextTags = parseTags(tags);
    if (JSON.stringify(nextTags) !== JSON.stringify(ticket.tags)) changes.tags = nextTags;
    if (clearContact && ticket.contactNumber) changes.contactNumber = null;
    else if (contactNumber.trim()) changes.contactNumber = contactNumber.trim();
    const nextDetails = cleanDetails(details);
    if (JSON.stringify(nextDetails) !== JSON.stringify(cleanDetails(ticket.details))) changes.details = nextDetails;
    return changes;
  };
  const save = useMutation({
    mutationFn: (changes: TicketUpdateBody) => updateTicket(ticket.id, changes),
    onSuccess: (tk) => {
      storeTicket(client, tk);
      void client.invalidateQueries({ queryKey: ['tickets'] });
      onDone();
    },
  });
  const fieldErrors = { ...useFieldErrors(save.error), ...localError };

  return (
    <form
      className="card edit-ticket"
      aria-label={t('edit.title')}
      onSubmit={(e) => {
        e.preventDefault();
        const number = contactNumber.trim().replace(/[\s-]/g, '');
        if (number && !MSISDN.test(number)) {
          setLocalError({ contactNumber: t('validation.contactNumber') });
          return;
        }
        setLocalError({});
        const changes = body();
        if (Object.keys(changes).length === 1) onDone();
        else save.mutate({ ...changes, ...(changes.contactNumber ? { contactNumber: number } : {}) });
      }}
    >
      <h2>{t('edit.title')}</h2>
      <fieldset className="types">
        <legend>{t('create.type')}</legend>
        {TYPES.map((v) => (
          <label key={v} className="check">
            <input
              type="radio"
              name="type"
              value={v}
              checked={type === v}
              onChange={() => {
                setType(v);
                // A category of the old type no longer fits: the agent chooses again or leaves it open.
                const current = options.find((c) => c.id === categoryId);
                if (current && current.ticketType !== null && current.ticketType !== v) setCategoryId('');
              }}
            />
            {t(`type.${v}`)}
          </label>
        ))}
      </fieldset>
      <span className="row">
        <label>
          {t('create.category')}
          <select name="category" value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
            <option value="">{t('edit.categoryOpen')}</option>
            {options.map((c) => (
              <option key={c.id} value={c.id}>
                {c.parentId ? '　' : ''}
                {categories.name(c)}
              </option>
            ))}
          </select>
          {fieldErrors.categoryId && <span className="error">{fieldErrors.categoryId}</span>}
        </label>
        <label>
          {t('create.grade')}
          <select name="grade" value={grade} onChange={(e) => setGrade(e.target.value)}>
            {(grades.items.some((g) => g.code === grade) ? [] : [grade]).map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
            {grades.items.map((g) => (
              <option key={g.code} value={g.code}>
                {grades.label(g.code)}
              </option>
            ))}
          </select>
          {fieldErrors.grade && <span className="error">{fieldErrors.grade}</span>}
        </label>
      </span>
      <SubjectFields
        subject={subject}
        onSubject={setSubject}
        description={description}
        onDescription={setDescription}
        errors={fieldErrors}
      />
      <span className="row">
        <label>
          {t('edit.tags')}
          <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} />
          {fieldErrors.tags && <span className="error">{fieldErrors.tags}</span>}
        </label>
        <label>
          {t('edit.contactNumber')}
          <input
            name="contactNumber"
            inputMode="tel"
            value={contactNumber}
            disabled={clearContact}
            placeholder={ticket.contactNumber ?? ''}
            onChange={(e) => setContactNumber(e.target.value)}
          />
          <span className="muted">
            {ticket.contactNumber ? t('edit.contactKeep', { number: ticket.contactNumber }) : t('edit.contactNone')}
          </span>
          {fieldErrors.contactNumber && <span className="error">{fieldErrors.contactNumber}</span>}
        </label>
      </span>
      {ticket.contactNumber && (
        <label className="check">
          <input
            type="checkbox"
            name="clearContact"
            checked={clearContact}
            onChange={(e) => setClearContact(e.target.checked)}
          />
          {t('edit.contactClear')}
        </label>
      )}
      {type === 'fault' && <FaultFields value={details} onChange={setDetails} errors={fieldErrors} />}
      <p className="muted">{t('edit.priorityHint')}</p>
      <ErrorText error={save.error} />
      <span className="row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? t('edit.saving') : t('edit.save')}
        </button>
        <button type="button" className="link" onClick={onDone}>
          {t('ticket.cancel')}
        </button>
      </span>
    </form>
  );
}
