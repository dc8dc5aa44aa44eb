import { z } from 'zod';
import { CALLBACK_OUTCOMES } from '../core/callbacks/callbacks.js';
import { ESCALATION_ACTIONS } from '../core/sla/target-clock.js';
import { EDIT_FIELDS } from '../core/tickets/actions.js';
import { CHANNELS, TICKET_STATUSES, TICKET_TYPES } from '../core/tickets/types.js';
import { REMEDY_KINDS } from '../core/incidents/incidents.js';
import { CLOSE_REASONS, TICKET_ACTIONS } from '../core/tickets/state-machine.js';
import { CONFIRMATION_VIAS } from '../core/tickets/confirmation.js';
import { StaffRef } from './common.js';
import type { ChatCustomerView, ChatMessageView } from './chat.js';
import { REQUIRED_SLOTS } from '../core/quality/phrases.js';
import { LEGAL_HOLD_REASONS } from '../core/privacy/requests.js';

// Everything that happens to a ticket, once: the timeline entries (ticket_events), the
// notifications for staff, the outbox messages for customers, and the live-update payload the
// database trigger sends at commit. One zod schema per kind, used by the server when it writes
// (recordEvents parses every entry) and by the desk through `import type`.
//
// The timeline is append-only, so nothing that may have to be erased later goes in: no subject or
// description text (an edit says which fields changed and who changed them; the values stay on
// the ticket, where they can be erased), no sender addresses. The data schemas are strict, so a
// field that is not listed here is refused rather than stored.

const Id = z.uuid();
const Status = z.enum(TICKET_STATUSES);
const Channel = z.enum(CHANNELS);
const Priority = z.number().int().min(1).max(4);
const IsoTime = z.iso.datetime({ offset: true });
/** A clock name: a policy metric or a node target (`subtask:<uuid>`, `callback:<uuid>`, 45 characters). */
const Metric = z.string().max(60);
const Visibility = z.enum(['public', 'internal']);

/**
 * How an entry naming another ticket reads to someone who may not read that ticket (presenters
 * only; never stored): that there is one, without its id or number.
 */
const hiddenTicket = <T extends z.ZodRawShape>(rest: T) => z.strictObject({ hiddenTicket: z.literal(true), ...rest });
const CallbackCompletedFacts = {
  callbackId: Id,
  outcome: z.enum(CALLBACK_OUTCOMES),
  rootCause: z.string().nullable(),
  attempts: z.number().int(),
};
const RepeatFacts = { windowDays: z.number().optional(), via: z.literal('email_reply').optional() };

/** Ticket fields an edit can change; an `updated` entry lists them. */
export const TICKET_FIELDS = [...EDIT_FIELDS, 'priority'] as const;
export type TicketField = (typeof TICKET_FIELDS)[number];
/**
 * Free text the customer or agent wrote, and the customer's contact number: an edit records that
 * it changed, never the value (personal data stays on the ticket, where it can be erased).
 */
export const FREE_TEXT_FIELDS = [
  'subject',
  'description',
  'details',
  'contactNumber',
] as const satisfies readonly TicketField[];

/** Values of the classification fields, the ones an edit keeps before and after. */
const ClassificationValues = z.strictObject({
  type: z.enum(TICKET_TYPES).optional(),
  categoryId: Id.nullable().optional(),
  grade: z.string().max(40).optional(),
  tags: z.array(z.string().max(40)).optional(),
  priority: Priority.optional(),
});
export type ClassificationValues = z.infer<typeof ClassificationValues>;

const RuleEffect = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('queue'), queue: z.string() }),
  z.strictObject({ kind: z.literal('grade'), from: z.string(), to: z.string() }),
  z.strictObject({ kind: z.literal('priority'), priority: Priority }),
  z.strictObject({ kind: z.literal('tag'), tag: z.string() }),
  z.strictObject({ kind: z.literal('sla_policy'), policy: z.string() }),
]);
export type RuleEffect = z.infer<typeof RuleEffect>;
const RuleMatch = z.strictObject({ ruleId: z.string(), name: z.string(), effects: z.array(RuleEffect) });
export type RuleMatch = z.infer<typeof RuleMatch>;

/** Where the ticket was before and after a hand-over. */
const Placement = z.strictObject({
  assigneeId: Id.nullable(),
  teamId: Id.nullable(),
  status: Status,
  /** Names as they were at the step, for the timeline line (written since 2026-11; older rows have none). */
  assigneeName: z.string().optional(),
  /** Only when the step changed the team. */
  teamName: z.string().optional(),
});
const TierPlacement = z.strictObject({
  teamId: Id.nullable(),
  teamName: z.string().optional(),
  assigneeId: Id.nullable(),
  supportLevel: z.number().int(),
});
const SlaBase = { metric: Metric, policyId: z.string(), dueAt: IsoTime.nullable() };

const entry = <K extends string, D extends z.ZodType>(kind: K, data: D) =>
  z.strictObject({ kind: z.literal(kind), data });

/** A timeline entry's kind and data: one schema per kind. */
export const TimelineEventBody = z.discriminatedUnion('kind', [
  entry(
    'created',
    z.strictObject({
      number: z.string(),
      type: z.enum(TICKET_TYPES),
      grade: z.string(),
      priority: Priority,
      channel: Channel,
      status: Status,
      firstContactOwnerId: Id.optional(),
      assigneeId: Id.optional(),
    }),
  ),
  entry(
    'routed',
    z.strictObject({
      explanation: z.array(z.string()),
      /** Absent on entries written before decisions were kept as data: only the explanation. */
      matched: z.array(RuleMatch).optional(),
      queue: z.string().nullable(),
      /** The channel's intake queue (team code), when no rule and no creator's team placed the ticket. */
      intakeQueue: z.string().optional(),
      teamId: Id.nullable(),
      grade: z.string(),
      priority: Priority,
      addedTags: z.array(z.string()),
      slaPolicyHint: z.string().nullable(),
    }),
  ),
  /**
   * A channel ticket took the suggested classification (issue 15): what was suggested, how sure, and
   * the cue words (from the keyword lists, never the customer's other words).
   */
  entry(
    'classification_suggested',
    z.strictObject({
      type: z.enum(TICKET_TYPES),
      categoryId: Id.nullable(),
      grade: z.string(),
      confidence: z.number().min(0).max(1),
      cues: z.array(z.string()),
    }),
  ),
  /** Which fields changed; values only for the classification fields, never for free text. */
  entry(
    'updated',
    z.strictObject({
      changed: z.array(z.enum(TICKET_FIELDS)).min(1),
      before: ClassificationValues,
      after: ClassificationValues,
    }),
  ),
  entry(
    'status_changed',
    z.strictObject({
      action: z.enum(TICKET_ACTIONS),
      from: Status,
      to: Status,
      note: z.string().optional(),
      byCustomer: z.literal(true).optional(),
      /** Why a resolved ticket closed (closed loop). */
      reason: z.enum(CLOSE_REASONS).optional(),
      /** Where the customer gave the answer: the portal, on the phone as the agent recorded it, an SMS or email reply. */
      via: z.enum(CONFIRMATION_VIAS).optional(),
      /** A close for want of an answer: how long it waited. */
      waitDays: z.number().optional(),
    }),
  ),
  entry(
    'assigned',
    z.strictObject({
      by: z.literal('auto').optional(),
      strategy: z.string().optional(),
      before: Placement,
      after: Placement,
      /** Set when this assignment made the assignee the first-contact owner (首问负责制). */
      firstContactOwnerId: Id.optional(),
    }),
  ),
  entry(
    'message_added',
    z.strictObject({
      messageId: Id,
      visibility: Visibility,
      /** Public replies: the channel the reply went out on (null: portal only). */
      sentVia: Channel.nullable().optional(),
      fromCustomer: z.literal(true).optional(),
      channel: Channel.optional(),
      statusFrom: Status.optional(),
      statusTo: Status.optional(),
      /** An automatic mail (out-of-office, bounce) noted on the ticket; the sender stays in the message. */
      automatic: z.enum(['auto_reply', 'bounce']).optional(),
      skippedAttachments: z.array(z.strictObject({ fileName: z.string(), reason: z.string() })).optional(),
    }),
  ),
  entry(
    'attachment_added',
    z.strictObject({
      attachmentId: Id,
      fileName: z.string(),
      size: z.number().int(),
      messageId: Id.optional(),
      fromCustomer: z.literal(true).optional(),
    }),
  ),
  entry('pii_revealed', z.strictObject({ field: z.string(), reason: z.string() })),
  entry(
    'sla_started',
    z.strictObject({
      policyId: z.string(),
      policyName: z.string(),
      targets: z.array(z.strictObject({ metric: Metric, dueAt: IsoTime.nullable() })),
    }),
  ),
  entry('sla_warning', z.strictObject({ ...SlaBase, fraction: z.number() })),
  entry('sla_breached', z.strictObject(SlaBase)),
  entry(
    'sla_escalated',
    z.strictObject({ ...SlaBase, step: z.number().int(), actions: z.array(z.enum(ESCALATION_ACTIONS)) }),
  ),
  entry('sla_met', z.strictObject({ metrics: z.array(Metric) })),
  entry(
    'call_linked',
    z.strictObject({
      callId: z.string(),
      recordingUrl: z.string().nullable(),
      ivrPath: z.array(z.string()),
      durationSeconds: z.number().int().nullable(),
      agentId: Id.nullable(),
    }),
  ),
  entry(
    'subtask_created',
    z.strictObject({
      subtaskId: Id,
      teamId: Id,
      teamName: z.string(),
      title: z.string(),
      blocking: z.boolean(),
      dueAt: IsoTime.nullable(),
    }),
  ),
  entry('subtask_completed', z.strictObject({ subtaskId: Id, title: z.string(), result: z.string() })),
  entry('subtask_cancelled', z.strictObject({ subtaskId: Id, title: z.string(), result: z.string() })),
  entry('escalated', z.strictObject({ note: z.string(), before: TierPlacement, after: TierPlacement })),
  entry('de_escalated', z.strictObject({ note: z.string(), before: TierPlacement, after: TierPlacement })),
  entry(
    'merged',
    z.union([
      /** On the ticket merged away. */
      z.strictObject({ into: Id, intoNumber: z.string(), from: Status }),
      /** On the ticket that absorbed it. */
      z.strictObject({ from: Id, fromNumber: z.string() }),
      hiddenTicket({ from: Status.optional() }),
    ]),
  ),
  entry('linked', z.union([z.strictObject({ other: Id, otherNumber: z.string() }), hiddenTicket({})])),
  /**
   * The customer answered the satisfaction survey: scores only. The comment is the customer's own
   * words and stays on the survey (erasable), so only whether there is one is noted.
   */
  entry(
    'survey_answered',
    z.strictObject({
      surveyId: Id,
      via: z.enum(['sms', 'link']),
      csat: z.number().int().min(1).max(5),
      nps: z.number().int().min(0).max(10).optional(),
      speed: z.number().int().min(1).max(5).optional(),
      quality: z.number().int().min(1).max(5).optional(),
      attitude: z.number().int().min(1).max(5).optional(),
      convenience: z.number().int().min(1).max(5).optional(),
      hasComment: z.literal(true).optional(),
      /** The agent rated (the one who resolved it), whatever the ticket's assignee is now. */
      agentId: Id.nullable(),
      /** Scores at or below the low-rating threshold (csat or dimension names). */
      low: z.array(z.string()).optional(),
    }),
  ),
  /** A low rating opened a callback task (scores only: the customer's words stay on the survey). */
  entry(
    'callback_opened',
    z.strictObject({ callbackId: Id, surveyId: Id, dueAt: IsoTime.nullable(), low: z.array(z.string()) }),
  ),
  /**
   * A step of a case referred by the regulator (issue 18): received, first contact with the
   * customer, an evidence pack generated (masked or not), the reply to the regulator recorded.
   * Ids and dates only: the claim, the reply and the customer stay on the referral (erasable).
   */
  entry(
    'regulator_case',
    z.strictObject({
      referralId: Id,
      step: z.enum(['received', 'first_contact', 'evidence_pack', 'reply_recorded']),
      sourceCode: z.string().optional(),
      deadline: z.iso.date().optional(),
      packId: Id.optional(),
      masked: z.boolean().optional(),
      repliedOn: z.iso.date().optional(),
    }),
  ),
  /**
   * A problem raised in a survey, tracked to its close (issue 13): opened with its topics (low
   * dimensions, or `comment`) and two due times, first handled, closed. The words stay on the survey.
   */
  entry(
    'survey_problem',
    z.strictObject({
      problemId: Id,
      step: z.enum(['opened', 'handled', 'closed']),
      topics: z.array(z.string()).optional(),
      respondDueAt: IsoTime.nullable().optional(),
      resolveDueAt: IsoTime.nullable().optional(),
    }),
  ),
  /** A supervisor gave the callback to a named agent of the callback team, or put it back in the queue (null). */
  entry(
    'callback_assigned',
    z.strictObject({
      callbackId: Id,
      assigneeId: Id.nullable(),
      assigneeName: z.string().nullable(),
      previousAssigneeId: Id.nullable(),
    }),
  ),
  /** The callback was worked to its outcome. */
  entry(
    'callback_completed',
    z.union([
      z.strictObject({
        ...CallbackCompletedFacts,
        /** The complaint the callback opened (outcome complaint_opened), linked to this ticket. */
        complaint: Id.optional(),
        complaintNumber: z.string().optional(),
      }),
      hiddenTicket(CallbackCompletedFacts),
    ]),
  ),
  /**
   * Risk words (投诉, 工信部 …) in a customer's message, or in the ticket's text at creation (no
   * message id): the listed words only, never the customer's sentence. The grade when it was raised.
   */
  entry(
    'risk_detected',
    z.strictObject({
      messageId: Id.nullable(),
      channel: Channel,
      words: z.array(z.string().max(100)).min(1),
      gradeFrom: z.string().optional(),
      gradeTo: z.string().optional(),
    }),
  ),
  /** An agent's public reply missed a required script phrase or used a forbidden one. */
  entry(
    'script_check_failed',
    z.strictObject({
      messageId: Id,
      missing: z.array(z.enum(REQUIRED_SLOTS)),
      forbidden: z.array(z.string().max(100)),
    }),
  ),
  /** An agent inserted a knowledge article or case into a reply (which suggestion was used). */
  entry(
    'knowledge_used',
    z.strictObject({ articleId: Id, kind: z.enum(['article', 'case']), title: z.string(), version: z.number().int() }),
  ),
  /** Linked to a network incident (issue 17): by the linking rule at creation, or by hand. */
  entry(
    'incident_linked',
    z.strictObject({
      incidentId: Id,
      incidentNumber: z.string(),
      by: z.enum(['auto', 'manual']),
      priorityFrom: Priority.optional(),
      priorityTo: Priority.optional(),
    }),
  ),
  /** Unlinked by hand: a different problem (the ticket is reopened when the incident had resolved it). */
  entry('incident_unlinked', z.strictObject({ incidentId: Id, incidentNumber: z.string() })),
  /** A remedy (data pack, fee waiver) granted for a network incident; above the threshold it waits for approval. */
  entry(
    'remedy_granted',
    z.strictObject({
      incidentId: Id,
      incidentNumber: z.string(),
      remedyId: Id,
      kind: z.enum(REMEDY_KINDS),
      amount: z.number().int(),
      unit: z.string(),
      status: z.enum(['approved', 'pending_approval']),
    }),
  ),
  entry(
    'repeat_detected',
    z.union([
      z.strictObject({
        earlier: Id,
        earlierNumber: z.string(),
        ...RepeatFacts,
      }),
      hiddenTicket(RepeatFacts),
    ]),
  ),
]);
export type TimelineEventBody = z.infer<typeof TimelineEventBody>;
export type TimelineKind = TimelineEventBody['kind'];
export type TimelineData<K extends TimelineKind> = Extract<TimelineEventBody, { kind: K }>['data'];
export const TIMELINE_KINDS = TimelineEventBody.options.map((o) => o.shape.kind.value) as readonly TimelineKind[];

/** A timeline entry as the API returns it (GET /tickets/:id/timeline). */
export type TimelineEvent = TimelineEventBody & {
  id: number;
  actor: z.infer<typeof StaffRef>;
  createdAt: string;
};
const ViewFields = { id: z.number().int(), actor: StaffRef, createdAt: z.iso.datetime() };
export const TimelineEvent = z
  .discriminatedUnion(
    'kind',
    TimelineEventBody.options.map((o) => o.extend(ViewFields)) as unknown as [
      (typeof TimelineEventBody.options)[number],
    ],
  )
  .meta({ id: 'TimelineEvent' }) as unknown as z.ZodType<TimelineEvent>;

/** A timeline entry to append: who, when, and one of the kinds above. */
export type TimelineEntry = { ticketId: string; actorId: string | null; at: Date } & TimelineEventBody;

/**
 * The live-update announcement the `ticket_events` trigger sends at commit (NOTIFY
 * loopdesk_ticket_changes), with what a node needs to decide who may hear of it.
 */
export const TicketChange = z.strictObject({
  ticketId: Id,
  kind: z.enum(TIMELINE_KINDS as [TimelineKind, ...TimelineKind[]]),
  eventId: z.number().int(),
  teamId: Id.nullable(),
  teamRestricted: z.boolean(),
  /** Whether duty supervisors see the restricted queue (teams.supervisors_see_restricted, 0018). */
  supervisorsSeeRestricted: z.boolean().default(true),
  assigneeId: Id.nullable(),
  /** Null for a contact that came in through a channel and nobody has taken yet. */
  firstContactOwnerId: Id.nullable(),
  /** Departments with an open sub-task on the ticket. */
  subtaskTeamIds: z.array(Id),
});
export type TicketChange = z.infer<typeof TicketChange>;

/** What a browser gets in a `ticket` server-sent event. */
export type LiveTicketEvent = Pick<TicketChange, 'ticketId' | 'kind' | 'eventId'>;

const note = <K extends string, P extends z.ZodType>(kind: K, payload: P) =>
  z.strictObject({ kind: z.literal(kind), payload });
const SubtaskNote = { subtaskId: Id, title: z.string(), number: z.string() };

/** Messages for staff (the notifications table): kind and payload, one schema per kind. */
export const NotificationBody = z.discriminatedUnion('kind', [
  note('sla.warning', z.strictObject({ ...SlaBase, fraction: z.number() })),
  note('sla.breached', z.strictObject({ ...SlaBase, number: z.string(), subject: z.string() })),
  note('subtask.assigned', z.strictObject(SubtaskNote)),
  note('subtask.done', z.strictObject({ ...SubtaskNote, result: z.string() })),
  note('subtask.cancelled', z.strictObject({ ...SubtaskNote, result: z.string() })),
  /** Someone mentioned me (@username) in an internal note; the note's text stays on the ticket. */
  note('note.mention', z.strictObject({ messageId: Id, number: z.string(), by: z.string() })),
  /** A supervisor gave me a callback to a dissatisfied customer (the ticket's number; the task is on the callbacks page). */
  note('callback.assigned', z.strictObject({ callbackId: Id, number: z.string(), by: z.string() })),
  /** A customer I manage is at a high churn risk after a new ticket (at most once a week per customer). */
  note(
    'care.churn_high',
    z.strictObject({ customerId: Id, number: z.string(), score: z.number(), reasons: z.array(z.string()) }),
  ),
  /** Risk words in a customer's message (a live alert for supervisors): the listed words, not the message. */
  note(
    'risk.alert',
    z.strictObject({
      number: z.string(),
      words: z.array(z.string()),
      channel: Channel,
      grade: z.string(),
      raised: z.boolean(),
    }),
  ),
  /** A certification I hold (or one of my team holds) expires soon. */
  note(
    'training.certification_expiring',
    z.strictObject({ staffId: Id, holder: z.string(), code: z.string(), expiresAt: IsoTime }),
  ),
  /**
   * A call I answered (a screen pop) ended and became no work order, nor joined one (首问负责制:
   * every contact gets a ticket). The caller's number is masked; the customer, when known.
   */
  note(
    'call.unfiled',
    z.strictObject({ callId: z.string(), caller: z.string(), customerId: Id.nullable(), endedAt: z.string() }),
  ),
  /** QA (issue 14): my ticket was reviewed; acknowledge or dispute by `dueAt` (3 working days). */
  note(
    'qa.review_submitted',
    z.strictObject({ reviewId: Id, number: z.string(), score: z.number(), passed: z.boolean(), dueAt: z.string() }),
  ),
  /** QA: an agent of mine disputes a review; decide by `dueAt` (3 working days). */
  note('qa.dispute_opened', z.strictObject({ reviewId: Id, number: z.string(), agent: z.string(), dueAt: z.string() })),
  /** QA: a supervisor decided my dispute. */
  note(
    'qa.dispute_decided',
    z.strictObject({
      reviewId: Id,
      number: z.string(),
      decision: z.enum(['accept', 'partly', 'reject']),
      finalScore: z.number(),
    }),
  ),
  /**
   * QA: repeated failed reviews put an agent on a training course's session (to the agent and their
   * team's supervisors).
   */
  note(
    'qa.training_assigned',
    z.strictObject({
      staffId: Id,
      agent: z.string(),
      sessionId: Id,
      course: z.string(),
      startsAt: IsoTime,
      failures: z.number().int(),
    }),
  ),
  /** QA: coach an agent after a failed review, by `dueAt` (24 business hours). */
  note(
    'qa.coaching_due',
    z.strictObject({ coachingId: Id, reviewId: Id, number: z.string(), agent: z.string(), dueAt: z.string() }),
  ),
  /**
   * An article I own needs a look: not verified for the configured days (`stale`), or customers
   * answered "not helpful" repeatedly (`unhelpful`).
   */
  note(
    'knowledge.review_due',
    z.strictObject({
      articleId: Id,
      title: z.string(),
      reason: z.enum(['stale', 'unhelpful']),
      verifiedAt: z.string().optional(),
      count: z.number().int().optional(),
    }),
  ),
  /** A deletion I previewed or approved was held by a law (`reasons`) until `holdUntil`, which has passed: preview it again. */
  note(
    'privacy.hold_ended',
    z.strictObject({ requestId: Id, holdUntil: IsoTime, reasons: z.array(z.enum(LEGAL_HOLD_REASONS)) }),
  ),
]);
export type NotificationBody = z.infer<typeof NotificationBody>;
export type NotificationKind = NotificationBody['kind'];

/** Messages for customers (the outbox payload), delivered by the channel senders. */
export const OutboxPayload = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('reply'),
    messageId: Id,
    ticketNumber: z.string(),
    subject: z.string(),
    body: z.string(),
    /** Signed token that opens the ticket in the portal. */
    portalLink: z.string(),
  }),
  z.strictObject({ kind: z.literal('portal_code'), text: z.string() }),
  /**
   * A satisfaction survey: by SMS a question answered with a digit; elsewhere a message with a
   * one-time link to the survey page (the token is only in `text` and `surveyLink`).
   */
  z.strictObject({
    kind: z.literal('survey'),
    surveyId: Id,
    ticketNumber: z.string(),
    text: z.string(),
    /** The one-time token of the survey page; absent for SMS (answered by a digit). */
    surveyLink: z.string().optional(),
  }),
  /** An update on a network incident for a customer with a linked ticket (issue 17). */
  z.strictObject({ kind: z.literal('incident_update'), incidentId: Id, text: z.string() }),
  /** A proactive outage notice to a customer of the affected area, before they call (a service message). */
  z.strictObject({ kind: z.literal('incident_notice'), incidentId: Id, text: z.string() }),
  /** A scheduled KPI report for a member of a mailing list, the export's file attached (issue 16). */
  z.strictObject({
    kind: z.literal('scheduled_report'),
    scheduleId: Id,
    runId: Id,
    subject: z.string(),
    text: z.string(),
    /** The stored export file (attachment storage key) the mail carries. */
    attachment: z.strictObject({ storageKey: z.string(), fileName: z.string(), contentType: z.string() }),
  }),
]);
export type OutboxPayload = z.infer<typeof OutboxPayload>;

/**
 * Network incidents and their candidates changed (NOTIFY loopdesk_incident_events at commit): the
 * desk reloads the incident list, the supervisor board's candidates and the agents' banners.
 */
export const IncidentLiveEvent = z.strictObject({
  kind: z.enum(['candidate', 'incident']),
  id: Id,
});
export type IncidentLiveEvent = z.infer<typeof IncidentLiveEvent>;

/**
 * Events addressed to one staff member (NOTIFY loopdesk_agent_events): a screen pop when they
 * answer a call, and a new notification for them (announced by a trigger on the notifications
 * table at commit). The browser gets the event without `agentId`.
 */
export const AgentEvent = z.discriminatedUnion('kind', [
  z.looseObject({ agentId: Id, kind: z.literal('call') }),
  z.strictObject({ agentId: Id, kind: z.literal('notification'), id: z.number().int() }),
]);
export type AgentEvent = z.infer<typeof AgentEvent>;
/** What a browser gets in a `notification` server-sent event: reload the inbox and the unread count. */
export type LiveNotificationEvent = { id: number };

/**
 * Online service (issue 20). A stored chat message, announced at commit by a trigger on
 * chat_messages (NOTIFY loopdesk_chat_messages): streams read the messages after the last seq they
 * sent, so a notice lost or repeated never loses or repeats a message.
 */
export const ChatMessageNotice = z.strictObject({
  conversationId: Id,
  seq: z.number().int(),
  author: z.enum(['customer', 'bot', 'agent', 'system']),
});
export type ChatMessageNotice = z.infer<typeof ChatMessageNotice>;

export const CHAT_EVENT_KINDS = [
  /** Handed off by the bot (or transferred to a team): waiting in the team's queue. */
  'queued',
  'accepted',
  /** A new message (customer, bot, agent or system note); `seq` and `author` say which. */
  'message',
  'transferred',
  'ended',
  /** The customer or the agent is typing (or stopped): `typing`, `author`. Not stored. */
  'typing',
  /** The first human response ran past its target (once per chat): agent and supervisors. */
  'first_response_warning',
] as const;
export type ChatEventKind = (typeof CHAT_EVENT_KINDS)[number];

/**
 * What happened to a chat (NOTIFY loopdesk_chat_events), with what a node needs to decide who
 * hears of it: the assigned agent, the members of the chat's team (queue) and supervisors.
 */
export const ChatLiveChange = z.strictObject({
  conversationId: Id,
  kind: z.enum(CHAT_EVENT_KINDS),
  teamId: Id.nullable(),
  agentId: Id.nullable(),
  /** A transfer: the agent it came from (they stop seeing it). */
  fromAgentId: Id.nullable().optional(),
  seq: z.number().int().optional(),
  author: z.enum(['customer', 'bot', 'agent', 'system']).optional(),
  typing: z.boolean().optional(),
});
export type ChatLiveChange = z.infer<typeof ChatLiveChange>;

/** What a desk browser gets in a `chat` server-sent event on /api/v1/events (reload the chat or the queue). */
export type LiveChatEvent = Pick<ChatLiveChange, 'conversationId' | 'kind' | 'seq' | 'author' | 'typing'>;

/**
 * The customer's stream (GET /api/chat/v1/conversations/:id/stream), by SSE event name:
 * `message` (id: seq; data: ChatMessage), `conversation` (data: ChatConversation: state, queue
 * position, agent), `typing` ({ typing }: the agent), `resync` (reload: changes may have been missed).
 */
export type CustomerChatStreamEvent =
  | { event: 'message'; id: number; data: ChatMessageView }
  | { event: 'conversation'; data: ChatCustomerView }
  | { event: 'typing'; data: { typing: boolean } }
  | { event: 'resync'; data: Record<string, never> };
