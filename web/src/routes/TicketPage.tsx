import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { assignTicket, fetchTicket, transitionTicket } from '../api/tickets';
import { isOpen, TICKET_ACTIONS, type Session, type Ticket, type TicketAction } from '../api/types';
import { PriorityBadge, StatusBadge, TierBadge } from '../components/Badges';
import { ErrorText } from '../components/ErrorText';
import { isShortcutKey } from '../components/shortcuts';
import { CustomerPanel } from '../features/customers/CustomerPanel';
import { AssignForm } from '../features/tickets/AssignForm';
import { AttachmentsPanel } from '../features/tickets/AttachmentsPanel';
import { Composer, type ComposerHandle } from '../features/tickets/Composer';
import { TicketClassificationHint } from '../features/tickets/ClassificationHint';
import { EditTicketForm } from '../features/tickets/EditTicketForm';
import { ConfirmationForm, DeEscalateForm, EscalateForm, OverrideCloseForm } from '../features/tickets/HandoffForms';
import { LinksPanel, MergeLinkForm } from '../features/tickets/MergeLinkPanel';
import { TicketFacts } from '../features/tickets/TicketFacts';
import { SlaHeaderBadge, SlaPanel } from '../features/tickets/SlaPanel';
import { SurveyPanel } from '../features/tickets/SurveyPanel';
import { SuggestionsPanel } from '../features/knowledge/SuggestionsPanel';
import { IncidentBanner } from '../features/incidents/IncidentBanner';
import { useRoutingText } from '../features/tickets/useRoutingText';
import { SubtasksPanel } from '../features/tickets/SubtasksPanel';
import { Timeline, useTimeline } from '../features/tickets/Timeline';
import { storeTicket } from '../features/tickets/storeTicket';
import { useGrades } from '../features/tickets/useGrades';

type Handoff = 'assign' | 'escalate' | 'de-escalate' | 'edit' | 'merge' | 'close' | 'confirmation' | null;

export default function TicketPage({ me }: { me: Session['staff'] }) {
  const { id = '' } = useParams();
  const location = useLocation();
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const grades = useGrades();
  const composer = useRef<ComposerHandle>(null);
  const [handoff, setHandoff] = useState<Handoff>(null);
  const justCreated = Boolean((location.state as { created?: boolean } | null)?.created);

  const ticket = useQuery({ queryKey: ['ticket', id], queryFn: () => fetchTicket(id) });
  const refresh = () => client.invalidateQueries({ queryKey: ['ticket', id] });
  const updated = (tk: Ticket) => {
    storeTicket(client, tk);
    void client.invalidateQueries({ queryKey: ['tickets'] });
  };
  const act = useMutation({
    mutationFn: (action: TicketAction) => transitionTicket(id, action),
    onSuccess: updated,
  });
  const take = useMutation({
    mutationFn: () => assignTicket(id, me.id),
    onSuccess: updated,
  });

  const tk = ticket.data;
  // Only what the server says this person may do now (`abilities`): no button it would refuse.
  const can = new Set(tk?.abilities ?? []);
  const canEscalate = can.has('escalate');
  const canReply = can.has('reply');
  const canNote = can.has('add_note');
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isShortcutKey(e)) return;
      if (e.key === 'r' && canReply) composer.current?.open('public');
      else if (e.key === 'n' && canNote) composer.current?.open('internal');
      else if (e.key === 'e' && canEscalate) setHandoff('escalate');
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canEscalate, canReply, canNote]);
  useEffect(() => setHandoff(null), [id]);

  if (ticket.error) return <ErrorText error={ticket.error} />;
  if (!tk) return <p className="loading">{t('list.loading')}</p>;

  return (
    <div className="ticket-page">
      <section className="ticket-main">
        {justCreated && <RoutedBanner ticket={tk} />}
        <header className="ticket-header">
          <h1>
            <span className="number">{tk.number}</span> {tk.subject}
          </h1>
          <div className="facts">
            <span className="type">{t(`type.${tk.type}`)}</span>
            {tk.category && (
              <span className="muted category">
                {t('edit.categoryFact', { name: i18n.language === 'en' ? tk.category.nameEn : tk.category.nameZh })}
              </span>
            )}
            <span className={`badge grade-${tk.grade}`} title={t('filters.grade')}>
              {grades.label(tk.grade)}
            </span>
            <PriorityBadge priority={tk.priority} />
            <StatusBadge status={tk.status} />
            <TierBadge tier={tk.customer.tier} />
            <span className={`badge level-${tk.supportLevel}`}>
              {tk.supportLevel >= 2 ? t('ticket.tier2') : t('ticket.tier1')}
            </span>
            {tk.isRepeat && <span className="badge repeat">{t('ticket.repeat')}</span>}
            {tk.tags.map((tag) => (
              <span key={tag} className="tag">
                #{tag}
              </span>
            ))}
            {isOpen(tk.status) && <SlaHeaderBadge ticketId={id} />}
          </div>
          <dl className="people">
            <dt>{t('ticket.owner')}</dt>
            <dd>{tk.firstContactOwner?.displayName ?? '—'}</dd>
            <dt>{t('ticket.assignee')}</dt>
            <dd>{tk.assignee?.displayName ?? t('ticket.unassigned')}</dd>
            <dt>{t('ticket.team')}</dt>
            <dd className="team">{tk.team?.name ?? '—'}</dd>
          </dl>
        </header>

        <div className="actions" role="group" aria-label={t('list.status')}>
          {can.has('take') && (
            <button type="button" onClick={() => take.mutate()} disabled={take.isPending} data-action="take">
              {t('ticket.take')}
            </button>
          )}
          {can.has('assign') && (
            <button type="button" onClick={() => setHandoff('assign')} data-action="assign">
              {t('assign.open')}
            </button>
          )}
          {/* The lifecycle moves legal from here that this person may make. */}
          {TICKET_ACTIONS.filter((a) => can.has(a)).map((a) => (
            <button
              key={a}
              type="button"
              className={a === 'resolve' ? 'primary' : ''}
              // Closing a resolved ticket is a supervisor's override: it needs a reason first.
              onClick={() => (a === 'close' ? setHandoff('close') : act.mutate(a))}
              disabled={act.isPending}
              data-action={a}
            >
              {a === 'close' ? t('closing.override') : t(`action.${a}`)}
            </button>
          ))}
          {can.has('record_confirmation') && (
            <button
              type="button"
              className="primary"
              onClick={() => setHandoff('confirmation')}
              data-action="confirmation"
            >
              {t('closing.record')}
            </button>
          )}
          {canEscalate && (
            <button type="button" onClick={() => setHandoff('escalate')} data-action="escalate" aria-keyshortcuts="e">
              {t('ticket.escalate')} (e)
            </button>
          )}
          {can.has('edit') && (
            <button type="button" onClick={() => setHandoff('edit')} data-action="edit">
              {t('edit.open')}
            </button>
          )}
          {(can.has('merge') || can.has('link')) && (
            <button type="button" onClick={() => setHandoff('merge')} data-action="merge">
              {t('merge.open')}
            </button>
          )}
          {can.has('de_escalate') && (
            <button type="button" onClick={() => setHandoff('de-escalate')} data-action="de-escalate">
              {t('ticket.deEscalate')}
            </button>
          )}
        </div>
        {tk.status === 'resolved' && <p className="hint waiting-confirmation">{t('closing.waiting')}</p>}
        <ErrorText error={act.error ?? take.error} />
        {handoff === 'assign' && can.has('assign') && <AssignForm ticket={tk} onDone={() => setHandoff(null)} />}
        {handoff === 'escalate' && <EscalateForm ticketId={id} onDone={() => setHandoff(null)} />}
        {handoff === 'de-escalate' && <DeEscalateForm ticketId={id} onDone={() => setHandoff(null)} />}
        {handoff === 'close' && <OverrideCloseForm ticketId={id} onDone={() => setHandoff(null)} />}
        {handoff === 'confirmation' && <ConfirmationForm ticketId={id} onDone={() => setHandoff(null)} />}
        {handoff === 'edit' && can.has('edit') && <EditTicketForm ticket={tk} onDone={() => setHandoff(null)} />}
        {handoff === 'merge' && (
          <MergeLinkForm
            ticket={tk}
            canMerge={can.has('merge')}
            canLink={can.has('link')}
            onDone={() => setHandoff(null)}
          />
        )}

        {can.has('edit') && !tk.category && isOpen(tk.status) && <TicketClassificationHint ticket={tk} />}
        <IncidentBanner ticketId={id} canLink={can.has('edit')} />
        <p className="description">{tk.description}</p>
        <TicketFacts ticket={tk} />

        <h2>{t('ticket.timeline')}</h2>
        <Timeline ticketId={id} customerName={tk.customer.name} />
        {(canReply || canNote) && (
          <Composer
            ref={composer}
            ticket={tk}
            agentName={me.displayName}
            canReply={canReply}
            canNote={canNote}
            onSent={() => void refresh()}
          />
        )}
      </section>

      <aside className="ticket-side">
        <SlaPanel ticketId={id} />
        <SuggestionsPanel
          ticketId={id}
          canInsert={canReply}
          canProposeCase={
            me.abilities.includes('write_knowledge') && (tk.status === 'resolved' || tk.status === 'closed')
          }
          onInsert={(text) => composer.current?.insert(text)}
        />
        {me.abilities.includes('read_customers') && (
          <CustomerPanel
            customerId={tk.customer.id}
            ticketId={tk.id}
            canReveal={me.abilities.includes('reveal_pii')}
            canChooseAccountManager={me.abilities.includes('supervise')}
          />
        )}
        <SubtasksPanel ticketId={id} canHandOut={can.has('add_subtask')} />
        <LinksPanel ticketId={id} />
        <AttachmentsPanel ticketId={id} canUpload={can.has('attach')} />
        <SurveyPanel ticketId={id} />
      </aside>
    </div>
  );
}

/** Right after saving a new ticket: where routing put it, and why. */
function RoutedBanner({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const timeline = useTimeline(ticket.id);
  const routingText = useRoutingText();
  const routed = timeline.data?.map((i) => i.event).find((e) => e?.kind === 'routed');
  const why = routed?.kind === 'routed' ? routingText(routed.data) : [];
  return (
    <div className="card routed" role="status">
      <strong>{ticket.team ? t('ticket.routedTitle', { team: ticket.team.name }) : t('ticket.routedNone')}</strong>
      {ticket.assignee && (
        <span>
          {' '}
          · {t('ticket.assignee')}: {ticket.assignee.displayName}
        </span>
      )}
      {why.length > 0 && <p className="muted">{why.join('; ')}</p>}
    </div>
  );
}
