import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import './message-kind.css';
import { Link } from 'react-router';
import { fetchMessages, fetchTimeline } from '../../api/tickets';
import type { Message, TimelineEvent } from '../../api/types';
import { formatDateTime, formatDuration } from '../../i18n';
import { useCategories } from './useCategories';
import { useGrades } from './useGrades';
import { useRoutingText } from './useRoutingText';

type TimelineItem = { at: string; key: string; message?: Message; event?: TimelineEvent };

/** Messages and events of a ticket in one list, oldest first (both are immutable records). */
export function useTimeline(ticketId: string) {
  return useQuery({
    queryKey: ['ticket', ticketId, 'timeline'],
    queryFn: async (): Promise<TimelineItem[]> => {
      const [messages, events] = await Promise.all([fetchMessages(ticketId), fetchTimeline(ticketId)]);
      return [
        ...messages.items.map((m) => ({ at: m.createdAt, key: `m${m.id}`, message: m })),
        ...events.items
          .filter((e) => e.kind !== 'message_added')
          .map((e) => ({ at: e.createdAt, key: `e${e.id}`, event: e })),
      ].sort((a, b) => a.at.localeCompare(b.at));
    },
  });
}

/**
 * Who wrote a message and what it is: the customer's own message (with the channel it came by), a
 * reply to the customer (with the channel it went out on), or an internal note (no channel: it
 * never leaves the desk).
 */
export function messageLabel(m: Message, customerName: string, t: TFunction): { who: string; kind: string } {
  const via = t('message.via', { channel: t(`channel.${m.channel}`) });
  if (m.fromCustomer) return { who: customerName, kind: `${t('message.fromCustomer')} · ${via}` };
  const who = m.author?.displayName ?? t('message.system');
  if (m.visibility === 'internal') return { who, kind: t('message.note') };
  return { who, kind: `${t('message.reply')} · ${via}` };
}

export function Timeline({ ticketId, customerName }: { ticketId: string; customerName: string }) {
  const { t, i18n } = useTranslation();
  const timeline = useTimeline(ticketId);
  const describe = useDescribeEvent();
  const when = (at: string) => formatDateTime(at, i18n.language);
  if (timeline.isPending) return <p className="loading">{t('list.loading')}</p>;
  return (
    <ol className="timeline">
      {timeline.data?.map((item) => {
        if (item.message) {
          const m = item.message;
          const label = messageLabel(m, customerName, t);
          return (
            <li
              key={item.key}
              className={`message ${m.visibility} ${m.fromCustomer ? 'customer inbound' : 'outbound'}`}
              data-direction={m.fromCustomer ? 'in' : m.visibility === 'internal' ? 'note' : 'out'}
            >
              <div className="meta">
                {label.who} · <span className="kind">{label.kind}</span>
                {m.kind && (
                  <>
                    {' '}
                    ·{' '}
                    <span className={`message-kind-badge kind-${m.kind}`} data-message-kind={m.kind}>
                      {t(`messageKind.badge.${m.kind}`)}
                    </span>
                  </>
                )}{' '}
                · {when(item.at)}
                {m.delivery && (
                  <>
                    {' '}
                    ·{' '}
                    <span className={`delivery delivery-${m.delivery.state}`} data-delivery={m.delivery.state}>
                      {t(`admin.channels.delivery.${m.delivery.state}`)}
                    </span>
                  </>
                )}
              </div>
              {/* bodyHtml is sanitised on the server with an allow-list */}
              <div className="body" dangerouslySetInnerHTML={{ __html: m.bodyHtml }} />
            </li>
          );
        }
        if (!item.event) return null;
        const line = describe(item.event);
        return (
          <li key={item.key} className={`event event-${item.event.kind}`}>
            <span className="meta">{when(item.at)}</span> <span className="text">{line.text}</span>
            {line.ticket && (
              <Link to={`/tickets/${line.ticket}`} className="other-ticket">
                {t('timeline.open')}
              </Link>
            )}
            {line.recording && (
              <a href={line.recording} target="_blank" rel="noopener noreferrer" className="recording">
                ▶ {t('timeline.recording')}
              </a>
            )}
          </li>
        );
      })}
    </ol>
  );
}

type Line = { text: string; ticket?: string; recording?: string };
type Updated = Extract<TimelineEvent, { kind: 'updated' }>['data'];
type Assigned = Extract<TimelineEvent, { kind: 'assigned' }>['data'];

/**
 * Which sentence an assignment takes: whom it went to and, when the step changed it, which queue
 * (the entry names them, see Placement in src/contracts/events.ts). Without the names it needs, the
 * plain “assigned the ticket”.
 */
function assignmentLine(
  d: Assigned,
  actorId: string | undefined,
): { key: string; assignee?: string | undefined; team?: string | undefined } {
  const assignee = d.after.assigneeName;
  const teamChanged = d.after.teamId !== d.before.teamId;
  const team = teamChanged ? d.after.teamName : undefined;
  if (d.by === 'auto') return { key: assignee ? 'assignedAutoTo' : 'assignedAuto', assignee };
  if (teamChanged && !team) return { key: 'assigned' };
  if (d.after.assigneeId === null) return { key: team ? 'movedUnassigned' : 'unassigned', team };
  if (d.after.assigneeId === actorId) return { key: team ? 'tookToTeam' : 'took', team };
  if (!assignee) return { key: 'assigned' };
  return { key: team ? 'assignedToTeam' : 'assignedTo', assignee, team };
}

/** Only web addresses become links: a recording reference in any other form is shown as text. */
const safeUrl = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : undefined);

/** A sentence per timeline entry, in the reader's language: every kind the server writes (src/contracts/events.ts). */
export function useDescribeEvent(): (e: TimelineEvent) => Line {
  const { t, i18n } = useTranslation();
  const routingText = useRoutingText();
  const grades = useGrades();
  const categories = useCategories();
  const metric = (m: string) =>
    m.startsWith('callback:')
      ? t('callbacks.title')
      : m.startsWith('survey_problem:')
        ? t('surveyProblems.title')
        : t(`sla.metric.${m}`, { defaultValue: m });
  const status = (s: string) => t(`status.${s}`, { defaultValue: s });
  const hidden = t('timeline.hidden');

  /** "type 咨询 → 故障; category — → 宽带断网; subject, description changed" */
  const changes = (d: Updated): string => {
    const value = (field: string, v: unknown): string => {
      if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return t('timeline.none');
      if (Array.isArray(v)) return v.map((x) => `#${String(x as string)}`).join(' ');
      if (typeof v !== 'string' && typeof v !== 'number') return '?';
      const s = String(v);
      if (field === 'type') return t(`type.${s}`);
      if (field === 'grade') return grades.label(s);
      if (field === 'priority') return `P${s}`;
      if (field === 'categoryId') return categories.nameOf(s) ?? '?';
      return s;
    };
    const before = d.before as Record<string, unknown>;
    const after = d.after as Record<string, unknown>;
    const valued = d.changed.filter((f) => f in after || f in before);
    const textOnly = d.changed.filter((f) => !valued.includes(f));
    const clauses = valued.map((f) =>
      t('timeline.change', {
        field: t(`timeline.field.${f}`),
        from: value(f, before[f]),
        to: value(f, after[f]),
      }),
    );
    if (textOnly.length > 0)
      clauses.push(
        t('timeline.textChanged', {
          fields: textOnly.map((f) => t(`timeline.field.${f}`)).join(t('timeline.listSep')),
        }),
      );
    return clauses.join(t('timeline.clauseSep'));
  };

  return (e) => {
    const who = e.actor?.displayName ?? t('timeline.system');
    switch (e.kind) {
      case 'created':
        return {
          text: t('timeline.created', { who, number: e.data.number, channel: t(`channel.${e.data.channel}`) }),
        };
      case 'routed':
        return { text: routingText(e.data).join('; ') };
      case 'updated':
        return { text: t('timeline.updated', { who, changes: changes(e.data) }) };
      case 'status_changed': {
        const d = e.data;
        if (d.reason === 'no_answer') return { text: t('timeline.closedNoAnswer', { days: d.waitDays }) };
        if (d.reason === 'supervisor_override')
          return { text: t('timeline.closedOverride', { who, note: d.note ?? '' }) };
        if (d.via === 'phone')
          return {
            text: t(d.to === 'closed' ? 'timeline.closedConfirmedPhone' : 'timeline.reopenedByCustomerPhone', { who }),
          };
        if (d.via === 'portal' && d.to === 'closed') return { text: t('timeline.closedConfirmedPortal') };
        if (d.via === 'sms' || d.via === 'email')
          return {
            text: t(d.to === 'closed' ? 'timeline.closedConfirmedReply' : 'timeline.reopenedByCustomerReply', {
              channel: t(`channel.${d.via}`),
            }),
          };
        return {
          text: t(d.byCustomer ? 'timeline.statusChangedByCustomer' : 'timeline.statusChanged', {
            who,
            from: status(d.from),
            to: status(d.to),
          }),
        };
      }
      case 'assigned': {
        const d = e.data;
        if (d.strategy === 'account_manager') return { text: t('timeline.assignedAccountManager') };
        const { key, assignee, team } = assignmentLine(d, e.actor?.id);
        return { text: t(`timeline.${key}`, { who, assignee, team }) };
      }
      case 'escalated':
        return { text: t('timeline.escalated', { who, note: e.data.note }) };
      case 'de_escalated':
        return { text: t('timeline.deEscalated', { who, note: e.data.note }) };
      case 'sla_started':
        return { text: t('timeline.slaStarted', { policy: e.data.policyName }) };
      case 'sla_met':
        return { text: t('timeline.slaMet', { metrics: e.data.metrics.map(metric).join(t('timeline.listSep')) }) };
      case 'sla_warning':
        return { text: t('timeline.slaWarning', { metric: metric(e.data.metric) }) };
      case 'sla_breached':
        return { text: t('timeline.slaBreached', { metric: metric(e.data.metric) }) };
      case 'sla_escalated':
        // Each level of a clock's escalation says which it is (steps count from 0).
        return { text: t('timeline.slaEscalated', { metric: metric(e.data.metric), level: e.data.step + 1 }) };
      case 'message_added':
        return { text: t('timeline.messageAdded', { who }) };
      case 'attachment_added':
        return { text: t('timeline.attachmentAdded', { who, file: e.data.fileName }) };
      case 'pii_revealed':
        return { text: t('timeline.piiRevealed', { who }) };
      case 'call_linked':
        return {
          text:
            e.data.durationSeconds === null
              ? t('timeline.callLinked', { who })
              : t('timeline.callLinkedDuration', {
                  who,
                  duration: formatDuration(e.data.durationSeconds * 1000, i18n.language, true),
                }),
          recording: safeUrl(e.data.recordingUrl),
        };
      case 'subtask_created':
        return { text: t('timeline.subtaskCreated', { who, title: e.data.title }) };
      case 'subtask_completed':
        return { text: t('timeline.subtaskCompleted', { who, title: e.data.title }) };
      case 'subtask_cancelled':
        return { text: t('timeline.subtaskCancelled', { who, title: e.data.title }) };
      case 'merged':
        // Another ticket this reader may not read: that there is one, nothing that identifies it.
        if ('hiddenTicket' in e.data) return { text: t('timeline.mergedHidden', { who, other: hidden }) };
        if ('into' in e.data)
          return { text: t('timeline.mergedInto', { who, number: e.data.intoNumber }), ticket: e.data.into };
        return { text: t('timeline.mergedFrom', { who, number: e.data.fromNumber }), ticket: e.data.from };
      case 'linked':
        if ('hiddenTicket' in e.data) return { text: t('timeline.linkedHidden', { who, other: hidden }) };
        return { text: t('timeline.linked', { who, number: e.data.otherNumber }), ticket: e.data.other };
      case 'risk_detected': {
        const d = e.data;
        const words = d.words.join(t('timeline.listSep'));
        const text = t(d.messageId ? 'timeline.riskDetected' : 'timeline.riskDetectedOpening', { words });
        const raised =
          d.gradeFrom && d.gradeTo
            ? t('timeline.riskRaised', { from: grades.label(d.gradeFrom), to: grades.label(d.gradeTo) })
            : '';
        return { text: text + raised };
      }
      case 'script_check_failed': {
        const d = e.data;
        const problems = [
          d.missing.length > 0
            ? t('timeline.scriptMissing', {
                slots: d.missing.map((s) => t(`phrases.slots.${s}`)).join(t('timeline.listSep')),
              })
            : null,
          d.forbidden.length > 0 ? t('timeline.scriptForbidden', { phrases: d.forbidden.join('”“') }) : null,
        ];
        return { text: t('timeline.scriptCheckFailed', { who, problems: problems.filter(Boolean).join('；') }) };
      }
      case 'repeat_detected':
        if ('hiddenTicket' in e.data) return { text: t('timeline.repeatHidden', { other: hidden }) };
        return { text: t('timeline.repeat', { number: e.data.earlierNumber }), ticket: e.data.earlier };
      case 'survey_answered': {
        const d = e.data;
        const dims = (['speed', 'quality', 'attitude', 'convenience'] as const)
          .filter((k) => d[k] !== undefined)
          .map((k) => `${t(`survey.dimension.${k}`)} ${d[k]}`);
        const parts = [
          t('timeline.surveyAnswered', { csat: d.csat, via: t(`timeline.surveyVia.${d.via}`) }),
          d.nps !== undefined ? t('timeline.surveyNps', { nps: d.nps }) : null,
          dims.length > 0 ? dims.join(' · ') : null,
          d.low?.length
            ? t('timeline.surveyLow', {
                items: d.low
                  .map((k) => (k === 'csat' ? 'CSAT' : t(`survey.dimension.${k}`, { defaultValue: k })))
                  .join(', '),
              })
            : null,
          d.hasComment ? t('timeline.surveyComment') : null,
        ];
        return { text: parts.filter(Boolean).join(t('timeline.surveySep')) };
      }
      case 'callback_opened':
        return {
          text: t('timeline.callbackOpened', {
            items: e.data.low
              .map((k) => (k === 'csat' ? 'CSAT' : t(`survey.dimension.${k}`, { defaultValue: k })))
              .join(', '),
            due: e.data.dueAt ? formatDateTime(e.data.dueAt, i18n.language) : '—',
          }),
        };
      case 'survey_problem': {
        const d = e.data;
        if (d.step !== 'opened') return { text: t(`timeline.surveyProblem.${d.step}`, { who }) };
        const at = (v: string | null | undefined) => (v ? formatDateTime(v, i18n.language) : '—');
        return {
          text: t('timeline.surveyProblem.opened', {
            topics: (d.topics ?? [])
              .map((k) => t(`surveyProblems.topic.${k}`, { defaultValue: k }))
              .join(t('timeline.listSep')),
            respond: at(d.respondDueAt),
            resolve: at(d.resolveDueAt),
          }),
        };
      }
      case 'callback_assigned':
        return {
          text: e.data.assigneeId
            ? t('timeline.callbackAssigned', { who, name: e.data.assigneeName ?? '' })
            : t('timeline.callbackUnassigned', { who }),
        };
      case 'callback_completed':
        if ('hiddenTicket' in e.data)
          return { text: t('timeline.callbackComplaintHidden', { other: hidden, attempts: e.data.attempts }) };
        if (e.data.complaint && e.data.complaintNumber)
          return {
            text: t('timeline.callbackComplaint', { number: e.data.complaintNumber, attempts: e.data.attempts }),
            ticket: e.data.complaint,
          };
        return {
          text: t('timeline.callbackCompleted', {
            outcome: t(`callbacks.outcomes.${e.data.outcome}`),
            attempts: e.data.attempts,
          }),
        };
      case 'regulator_case':
        return {
          text: t(`timeline.regulatorCase.${e.data.step}`, {
            source: e.data.sourceCode ?? '',
            deadline: e.data.deadline ?? '',
            masked: t(e.data.masked === false ? 'regulator.unmasked' : 'regulator.masked'),
            on: e.data.repliedOn ?? '',
          }),
        };
      case 'knowledge_used':
        return {
          text: t('timeline.knowledgeUsed', {
            who,
            kind: t(`kb.kind.${e.data.kind}`),
            title: e.data.title,
            version: e.data.version,
          }),
        };
      case 'incident_linked':
        return {
          text: t(e.data.by === 'auto' ? 'timeline.incidentLinkedAuto' : 'timeline.incidentLinked', {
            who,
            number: e.data.incidentNumber,
          }),
        };
      case 'classification_suggested':
        return {
          text: t('timeline.classificationSuggested', {
            type: t(`type.${e.data.type}`),
            category: categories.nameOf(e.data.categoryId) ?? t('timeline.none'),
            grade: grades.label(e.data.grade),
            confidence: `${Math.round(e.data.confidence * 100)}%`,
            cues: e.data.cues.join(t('classify.sep')),
          }),
        };
      case 'incident_unlinked':
        return { text: t('timeline.incidentUnlinked', { who, number: e.data.incidentNumber }) };
      case 'remedy_granted':
        return {
          text: t(e.data.status === 'approved' ? 'timeline.remedyGranted' : 'timeline.remedyProposed', {
            who,
            number: e.data.incidentNumber,
            remedy: t(`incidents.remedyKinds.${e.data.kind}`),
            amount: e.data.amount,
            unit: e.data.unit,
          }),
        };
      default:
        return e satisfies never;
    }
  };
}
