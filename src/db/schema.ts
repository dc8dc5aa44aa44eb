import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  pgView,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  CHANNELS,
  CUSTOMER_TIERS,
  ROLES,
  TICKET_STATUSES,
  TICKET_TYPES,
  type Channel,
  type MessageKind,
  type Priority,
} from '../core/tickets/types.js';
import { OPEN_STATUSES } from '../core/tickets/state-machine.js';
import type { RoutingRule } from '../core/routing/rules.js';
import type { MacroActions } from '../core/replies/macro.js';
import type { OutboxPayload } from '../contracts/events.js';
import type { SurveySkipReason, SurveyStatus } from '../core/surveys/rules.js';
import type {
  IncidentCategory,
  IncidentStatus,
  RegionType,
  RemedyKind,
  RemedyStatus,
} from '../core/incidents/incidents.js';
import type { CallbackOutcome, CallbackStatus } from '../core/callbacks/callbacks.js';
import type { SurveyProblemStatus, SurveyProblemTopic } from '../core/surveys/problems.js';
import type { ScorecardDefinition, ScoredItem } from '../core/quality/scorecard.js';
import type { SampleStratum } from '../core/quality/sampling.js';
import type { DisputeDecision, ReviewStatus } from '../core/quality/reviews.js';
import type { SurveyTemplateKind, TemplateLanguage } from '../core/surveys/templates.js';
import type {
  KnowledgeAudience,
  KnowledgeContent,
  KnowledgeKind,
  KnowledgeStatus,
} from '../core/knowledge/workflow.js';
import type { AppealCategory, ReferralStatus } from '../core/regulator/referrals.js';
import type { PhraseList, RequiredSlot } from '../core/quality/phrases.js';
import type { TrainingTier } from '../core/quality/training.js';
import type { FactCell } from '../core/kpi/ticket-facts.js';
import { SURVEY_MEASURES, type SurveyMeasure } from '../core/kpi/survey-facts.js';
import type {
  ChatAuthor,
  ChatChannel,
  ChatLanguage,
  ChatMessagePayload,
  ChatOutcome,
  ChatState,
  HandoffReason,
} from '../core/chat/types.js';
import type {
  ConsentPurpose,
  ExportState,
  IdentityCheck,
  LegalHoldReason,
  PrivacyRequestKind,
  PrivacyRequestStatus,
} from '../core/privacy/requests.js';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true });

export const roleEnum = pgEnum('staff_role', ROLES);
export const ticketTypeEnum = pgEnum('ticket_type', TICKET_TYPES);
export const ticketStatusEnum = pgEnum('ticket_status', TICKET_STATUSES);
export const channelEnum = pgEnum('channel', CHANNELS);
export const tierEnum = pgEnum('customer_tier', CUSTOMER_TIERS);
export const visibilityEnum = pgEnum('message_visibility', ['public', 'internal']);

export const ticketNumberSeq = pgSequence('ticket_number_seq', { startWith: 1, cache: 1 });

export const teams = pgTable('teams', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  /** frontline | expert | vip | supervisor | department */
  kind: text('kind').notNull(),
  /** Tickets of a restricted team are visible only to its members (and the people on the ticket). */
  restricted: boolean('restricted').notNull().default(false),
  /** How waiting tickets in this queue find an agent: manual | round_robin | least_loaded. */
  assignmentStrategy: text('assignment_strategy').notNull().default('manual'),
  /** Whether duty supervisors see this queue's tickets when it is restricted (0018; on by default). */
  supervisorsSeeRestricted: boolean('supervisors_see_restricted').notNull().default(true),
  createdAt: createdAt(),
});

export const staff = pgTable('staff', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: roleEnum('role').notNull(),
  teamId: uuid('team_id').references(() => teams.id),
  locale: text('locale').notNull().default('zh-CN'),
  active: boolean('active').notNull().default(true),
  /** When an administrator deactivated the account (it can no longer sign in). */
  deactivatedAt: ts('deactivated_at'),
  /** Training tier (0028): new / growing / expert. */
  trainingTier: text('training_tier').$type<TrainingTier>().notNull().default('new'),
  createdAt: createdAt(),
});

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: a leaked table does not yield usable cookies. */
    tokenHash: text('token_hash').primaryKey(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_staff_idx').on(t.staffId)],
);

export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    idNumber: text('id_number'),
    address: text('address'),
    tier: tierEnum('tier').notNull().default('regular'),
    region: text('region'),
    plans: jsonb('plans').$type<string[]>().notNull().default([]),
    /** A high-value customer's dedicated account manager (0023): offered their waiting tickets first. */
    accountManagerId: uuid('account_manager_id').references(() => staff.id),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    /** Erased on the customer's request (0035, PIPL Art. 47): the row stays for statistics, without personal data. */
    erasedAt: ts('erased_at'),
  },
  (t) => [
    index('customers_name_idx').on(t.name),
    index('customers_account_manager_idx')
      .on(t.accountManagerId)
      .where(sql`${t.accountManagerId} IS NOT NULL`),
    index('customers_vip_idx')
      .on(t.id)
      .where(sql`${t.tier} = 'vip'`),
    // Proactive incident notices select the customers of an area (0031).
    index('customers_region_idx').on(t.region),
    // … in id order, one batch at a time (0036).
    index('customers_region_id_idx').on(t.region, t.id),
  ],
);

/** One row per MSISDN: a number belongs to one customer at a time. */
export const customerNumbers = pgTable(
  'customer_numbers',
  {
    msisdn: text('msisdn').primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    index('customer_numbers_customer_idx').on(t.customerId),
    // Agents often search by the last four digits: a suffix search on the reversed number is a
    // prefix search, which this index serves.
    index('customer_numbers_reverse_idx').on(sql`reverse(${t.msisdn}) text_pattern_ops`),
  ],
);

export const grades = pgTable('grades', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  /** Higher is more severe. */
  rank: integer('rank').notNull(),
});

export const categories = pgTable(
  'categories',
  {
    id: uuid('id').primaryKey(),
    parentId: uuid('parent_id'),
    code: text('code').notNull().unique(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    /** Restricts the category to one ticket type; null = any type. */
    ticketType: ticketTypeEnum('ticket_type'),
    active: boolean('active').notNull().default(true),
    sort: integer('sort').notNull().default(0),
    /** Words that suggest the category (0039); null until the shipped ones are filled in. */
    keywords: text('keywords').array(),
  },
  (t) => [index('categories_parent_idx').on(t.parentId)],
);

export type FaultDetails = {
  location?: string;
  symptom?: string;
  scope?: 'single_user' | 'building' | 'area';
  onsetAt?: string;
};

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey(),
    number: text('number').notNull().unique(),
    type: ticketTypeEnum('type').notNull(),
    categoryId: uuid('category_id').references(() => categories.id),
    grade: text('grade')
      .notNull()
      .references(() => grades.code),
    /** 1 is the most urgent: the priority the facts give, never less urgent than the floor (core/tickets/priority.ts). */
    priority: integer('priority').notNull(),
    /** Set by routing rules and SLA escalations; only ever raised, so an edit cannot undo them. Null: none. */
    priorityFloor: integer('priority_floor').$type<Priority>(),
    status: ticketStatusEnum('status').notNull().default('new'),
    channel: channelEnum('channel').notNull(),
    subject: text('subject').notNull(),
    description: text('description').notNull(),
    details: jsonb('details').$type<FaultDetails>().notNull().default({}),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    /**
     * The customer's tier, kept with the customer's (0052: set at creation, changed with the
     * customer's), so the VIP view walks the open VIP tickets (tickets_open_vip_idx) instead of every
     * open ticket to find the customers' tiers.
     */
    customerTier: tierEnum('customer_tier').notNull().default('regular'),
    contactNumber: text('contact_number'),
    teamId: uuid('team_id').references(() => teams.id),
    assigneeId: uuid('assignee_id').references(() => staff.id),
    /**
     * 首问负责制: accountable until the customer is answered, whatever transfers happen. Null only
     * for a contact that arrived through a channel and nobody has taken yet: the first person
     * assigned becomes its owner.
     */
    firstContactOwnerId: uuid('first_contact_owner_id').references(() => staff.id),
    /** Null when the customer created it through a channel. */
    createdById: uuid('created_by_id').references(() => staff.id),
    /** jieba-segmented subject + description, space separated, for to_tsvector('simple', …). */
    searchText: text('search_text').notNull().default(''),
    hasPublicReply: boolean('has_public_reply').notNull().default(false),
    /** Earliest due time of the ticket's unmet SLA targets (past = breached); null when none runs. */
    slaDueAt: ts('sla_due_at'),
    reopenCount: integer('reopen_count').notNull().default(0),
    /** 1 = frontline, 2 = experts (escalated). */
    supportLevel: integer('support_level').notNull().default(1),
    /** Set when merged into another ticket about the same matter. */
    mergedIntoId: uuid('merged_into_id'),
    /** The customer had a ticket of the same category shortly before (repeat contact). */
    isRepeat: boolean('is_repeat').notNull().default(false),
    /** An SLA policy id a routing rule chose; used instead of matching while that policy is active. */
    slaPolicyHint: text('sla_policy_hint'),
    /**
     * The network incident the ticket is about (0031): set, the ticket is attributed to the network,
     * not to the agent (KPI and QA leave it out of handling-time and quality penalties).
     */
    incidentId: uuid('incident_id'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    resolvedAt: ts('resolved_at'),
    closedAt: ts('closed_at'),
    /** Anonymised by erasure or by the retention job (0035): the text is gone, the facts stay. */
    anonymisedAt: ts('anonymised_at'),
  },
  (t) => [
    // Plain ascending: scanned backwards they serve ORDER BY … DESC (NULLS FIRST, PostgreSQL's
    // default). A DESC NULLS LAST index, which drizzle's .desc() makes, serves neither direction.
    index('tickets_created_idx').on(t.createdAt, t.id),
    index('tickets_status_idx').on(t.status, t.createdAt),
    index('tickets_resolved_waiting_idx')
      .on(t.resolvedAt)
      .where(sql`${t.status} = 'resolved'`),
    index('tickets_assignee_idx').on(t.assigneeId, t.status),
    index('tickets_team_idx').on(t.teamId, t.status),
    index('tickets_customer_idx').on(t.customerId, t.createdAt),
    index('tickets_owner_idx').on(t.firstContactOwnerId),
    index('tickets_sla_due_idx')
      .on(t.slaDueAt, t.id)
      .where(sql`${t.slaDueAt} IS NOT NULL`),
    // The open backlog with what the queue counts read, so they need no table access.
    index('tickets_open_idx')
      .on(t.teamId, t.assigneeId, t.firstContactOwnerId, t.slaDueAt, t.customerId)
      .where(sql.raw(`status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`)),
    // The open backlog in the orders queue pages read it (0048): newest first, and per team newest
    // first or by due time, so a page walks open tickets only, never the whole history.
    index('tickets_open_created_idx')
      .on(t.createdAt, t.id)
      .where(sql.raw(`status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`)),
    index('tickets_open_vip_idx')
      .on(t.createdAt, t.id)
      .where(sql.raw(`customer_tier = 'vip' AND status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`)),
    index('tickets_open_team_created_idx')
      .on(t.teamId, t.createdAt, t.id)
      .where(sql.raw(`status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`)),
    index('tickets_open_team_due_idx')
      .on(t.teamId, t.slaDueAt, t.id)
      .where(sql.raw(`status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`)),
    index('tickets_search_idx').using('gin', sql`to_tsvector('simple', ${t.searchText})`),
    check('tickets_priority_floor_check', sql`${t.priorityFloor} BETWEEN 1 AND 4`),
    index('tickets_incident_idx')
      .on(t.incidentId, t.status)
      .where(sql`${t.incidentId} IS NOT NULL`),
    index('tickets_retention_idx')
      .on(t.closedAt)
      .where(sql`${t.status} = 'closed' AND ${t.anonymisedAt} IS NULL`),
  ],
);

/** Append-only: a trigger refuses UPDATE of the existing columns, DELETE and TRUNCATE (migration 0015). */
export const ticketMessages = pgTable(
  'ticket_messages',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    authorStaffId: uuid('author_staff_id').references(() => staff.id),
    /** Set when the customer wrote it (portal, email, webhooks). */
    fromCustomer: boolean('from_customer').notNull().default(false),
    visibility: visibilityEnum('visibility').notNull(),
    channel: channelEnum('channel').notNull(),
    /** Stored exactly as received; rendered only through the allow-list sanitiser. */
    body: text('body').notNull(),
    bodyFormat: text('body_format').notNull().default('text'),
    /** What a public staff message is (0026); null for customer messages and internal notes. */
    kind: text('kind').$type<MessageKind>(),
    createdAt: createdAt(),
  },
  (t) => [index('ticket_messages_ticket_idx').on(t.ticketId, t.createdAt)],
);

/** Append-only timeline: a trigger refuses UPDATE and DELETE (see migration). */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    actorId: uuid('actor_id').references(() => staff.id),
    kind: text('kind').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.id)],
);

export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    messageId: uuid('message_id').references(() => ticketMessages.id),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedById: uuid('uploaded_by_id').references(() => staff.id),
    createdAt: createdAt(),
    /** Erasure (0033): the file is removed from storage, the row stays for statistics. */
    erasedAt: ts('erased_at'),
  },
  (t) => [index('attachments_ticket_idx').on(t.ticketId)],
);

/**
 * A retried create carries the same key: the primary key makes the second insert wait for the
 * first transaction and then find the row, so a retry can never create a duplicate.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    resourceId: uuid('resource_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/**
 * PIPL access log: append-only, enforced by a trigger (see migration); only the retention job
 * removes rows past the retention setting (0033).
 */
export const piiAccessLog = pgTable(
  'pii_access_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Null when the customer read their own data (a download of their copy, 0033). */
    staffId: uuid('staff_id').references(() => staff.id),
    byCustomer: boolean('by_customer').notNull().default(false),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    ticketId: uuid('ticket_id').references(() => tickets.id),
    field: text('field').notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('pii_access_log_customer_idx').on(t.customerId, t.createdAt)],
);

export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    username: text('username').notNull(),
    ip: text('ip').notNull(),
    succeeded: boolean('succeeded').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('login_attempts_username_idx').on(t.username, t.createdAt)],
);

/** Rate-limit counters every node shares (0016): hits in the window that began at `windowStart`. */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    windowStart: ts('window_start').notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [index('rate_limits_window_start_idx').on(t.windowStart)],
);

/** Business calendars as data (weekly hours, holidays, make-up working days); admins maintain them. */
export const businessCalendars = pgTable('business_calendars', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** SLA policies: conditions, targets and escalation; the first active match by position applies. */
export const slaPolicies = pgTable('sla_policies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  position: integer('position').notNull(),
  active: boolean('active').notNull().default(true),
  definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export type EscalationStepRow = { afterMs: number; actions: string[]; queue?: string | undefined };

/**
 * One clock per ticket and metric. `next_fire_at` is when the sweeper must next look at it (a
 * warning, the breach or an escalation step); null while paused, met or finished.
 */
export const slaTargets = pgTable(
  'sla_targets',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    metric: text('metric').notNull(),
    policyId: text('policy_id').notNull(),
    calendarId: text('calendar_id').notNull(),
    limitMs: bigint('limit_ms', { mode: 'number' }).notNull(),
    consumedMs: bigint('consumed_ms', { mode: 'number' }).notNull().default(0),
    runningSince: ts('running_since'),
    warnAt: jsonb('warn_at').$type<number[]>().notNull(),
    warningsFired: integer('warnings_fired').notNull().default(0),
    escalation: jsonb('escalation').$type<EscalationStepRow[]>().notNull(),
    escalationsFired: integer('escalations_fired').notNull().default(0),
    dueAt: ts('due_at'),
    nextFireAt: ts('next_fire_at'),
    breachedAt: ts('breached_at'),
    metAt: ts('met_at'),
    /** Who held the ticket when it breached, for compliance per team and agent. */
    breachTeamId: uuid('breach_team_id'),
    breachAssigneeId: uuid('breach_assignee_id'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sla_targets_ticket_metric_idx').on(t.ticketId, t.metric),
    index('sla_targets_next_fire_idx')
      .on(t.nextFireAt)
      .where(sql`${t.nextFireAt} IS NOT NULL`),
    index('sla_targets_due_idx')
      .on(t.dueAt)
      .where(sql`${t.metAt} IS NULL`),
  ],
);

/** Messages for people (SLA warnings, breaches, escalations); other parts read and deliver them. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    ticketId: uuid('ticket_id').references(() => tickets.id),
    recipientId: uuid('recipient_id').references(() => staff.id),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    readAt: ts('read_at'),
  },
  (t) => [
    index('notifications_recipient_idx').on(t.recipientId, t.createdAt),
    index('notifications_unread_idx')
      .on(t.recipientId)
      .where(sql`${t.readAt} IS NULL`),
  ],
);

/**
 * Every message accepted from a channel (SMS, WeChat, app, hotline events, email), keyed by the
 * sender's own message id: a retried delivery finds its row and changes nothing.
 */
export const channelMessages = pgTable(
  'channel_messages',
  {
    id: uuid('id').primaryKey(),
    channel: channelEnum('channel').notNull(),
    externalId: text('external_id').notNull(),
    customerId: uuid('customer_id').references(() => customers.id),
    ticketId: uuid('ticket_id').references(() => tickets.id),
    messageId: uuid('message_id').references(() => ticketMessages.id),
    /** in: from the customer; out: sent by us (e.g. the Message-ID of an email reply, so answers thread). */
    direction: text('direction').notNull().default('in'),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('channel_messages_external_idx').on(t.channel, t.externalId),
    index('channel_messages_ticket_idx').on(t.ticketId),
  ],
);

/** A customer's account on a channel that does not identify them by phone number (WeChat open id, app user id). */
export const customerIdentities = pgTable(
  'customer_identities',
  {
    channel: channelEnum('channel').notNull(),
    externalUserId: text('external_user_id').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.channel, t.externalUserId] }),
    index('customer_identities_customer_idx').on(t.customerId),
  ],
);

/** Mail that could not be turned into a ticket (malformed, too large, unparseable): an admin sees why and can retry. */
export const quarantinedMail = pgTable(
  'quarantined_mail',
  {
    id: uuid('id').primaryKey(),
    reason: text('reason').notNull(),
    envelopeFrom: text('envelope_from'),
    envelopeTo: text('envelope_to')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    size: integer('size').notNull(),
    /** Where the raw message is kept (attachment storage key). */
    storageKey: text('storage_key').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    retriedAt: ts('retried_at'),
    resolvedTicketId: uuid('resolved_ticket_id').references(() => tickets.id),
    /** sha256 of the kept bytes and the size: the same mail held twice (a redelivery, two pollers) is one row. */
    contentHash: text('content_hash'),
  },
  (t) => [
    index('quarantined_mail_received_idx').on(t.receivedAt),
    uniqueIndex('quarantined_mail_content_idx').on(t.contentHash),
  ],
);

/** Outbound notifications (email, SMS, WeChat) with retries; rows that keep failing end up dead. */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey(),
    channel: channelEnum('channel').notNull(),
    recipient: text('recipient').notNull(),
    ticketId: uuid('ticket_id').references(() => tickets.id),
    payload: jsonb('payload').$type<OutboxPayload>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    /** pending | sent | logged (only written to the log: no gateway or relay) | dead */
    state: text('state').notNull().default('pending'),
    createdAt: createdAt(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    index('outbox_ticket_idx').on(t.ticketId),
    index('outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.state} = 'pending'`),
  ],
);

/** One hotline call, built up from the telephony system's events (started, answered, ended). */
export const callRecords = pgTable(
  'call_records',
  {
    id: uuid('id').primaryKey(),
    callId: text('call_id').notNull().unique(),
    caller: text('caller').notNull(),
    customerId: uuid('customer_id').references(() => customers.id),
    agentId: uuid('agent_id').references(() => staff.id),
    ticketId: uuid('ticket_id').references(() => tickets.id),
    ivrPath: text('ivr_path')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    recordingUrl: text('recording_url'),
    startedAt: ts('started_at'),
    answeredAt: ts('answered_at'),
    endedAt: ts('ended_at'),
    /** When the agent was reminded that this answered call became no work order. */
    unfiledRemindedAt: ts('unfiled_reminded_at'),
    /** ACD events (0043): offered to the agents, put in the queue, abandoned while waiting. */
    offeredAt: ts('offered_at'),
    queuedAt: ts('queued_at'),
    abandonedAt: ts('abandoned_at'),
    /** The ACD's queue (or skill) name; '' when it sent none. */
    queue: text('queue').notNull().default(''),
    /** The wait the ACD reported with the answer or the abandon (ms). */
    waitMs: integer('wait_ms'),
    createdAt: createdAt(),
  },
  (t) => [
    index('call_records_customer_idx').on(t.customerId, t.createdAt),
    index('call_records_ticket_idx').on(t.ticketId),
    index('call_records_unfiled_idx')
      .on(t.endedAt)
      .where(sql`${t.ticketId} IS NULL AND ${t.agentId} IS NOT NULL AND ${t.unfiledRemindedAt} IS NULL`),
    index('call_records_waiting_idx')
      .on(t.createdAt)
      .where(
        sql`${t.answeredAt} IS NULL AND ${t.abandonedAt} IS NULL AND ${t.endedAt} IS NULL AND (${t.offeredAt} IS NOT NULL OR ${t.queuedAt} IS NOT NULL)`,
      ),
  ],
);

/** What assignment needs to know about a person: tier, skills, capacity and presence. */
export const agentProfiles = pgTable('agent_profiles', {
  staffId: uuid('staff_id')
    .primaryKey()
    .references(() => staff.id),
  tier: integer('tier').notNull().default(1),
  /** Category codes (empty = all), languages, regions (empty = all). */
  skills: jsonb('skills')
    .$type<{ categories: string[]; languages: string[]; regions: string[] }>()
    .notNull()
    .default({ categories: [], languages: ['zh'], regions: [] }),
  capacity: integer('capacity').notNull().default(20),
  /** online | away | offline */
  presence: text('presence').notNull().default('offline'),
  lastAssignedAt: ts('last_assigned_at'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const agentCertifications = pgTable(
  'agent_certifications',
  {
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id),
    code: text('code').notNull(),
    expiresAt: ts('expires_at'),
    /** When it was granted (0028); null for one entered before training records. */
    issuedAt: ts('issued_at'),
    /** The training session whose exam granted it (0028); null: entered by hand. */
    sessionId: uuid('session_id'),
    /** When the holder was reminded of the expiry (0028); cleared when it is granted again. */
    remindedAt: ts('reminded_at'),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.code] })],
);

/** Queue membership: a person may work several queues (teams). */
export const queueMembers = pgTable(
  'queue_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.staffId] }), index('queue_members_staff_idx').on(t.staffId)],
);

/** Routing rules as data, evaluated in position order by the pure core. */
export const routingRules = pgTable('routing_rules', {
  id: text('id').primaryKey(),
  position: integer('position').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  definition: jsonb('definition').$type<Omit<RoutingRule, 'id' | 'enabled'>>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** A stored rule as the core reads it. */
export const ruleFromRow = (r: typeof routingRules.$inferSelect): RoutingRule => ({
  ...r.definition,
  id: r.id,
  enabled: r.enabled,
});

/** An ordered rule set as rows: the position keeps the evaluation order, with room to insert. */
export const rowsFromRules = (rules: readonly RoutingRule[]) =>
  rules.map(({ id, enabled, ...definition }, i) => ({ id, enabled, position: (i + 1) * 10, definition }));

/** Work a ticket hands to another department, with its own assignee and time limit. */
export const subtasks = pgTable(
  'subtasks',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    assigneeId: uuid('assignee_id').references(() => staff.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    /** A blocking sub-task must be finished before the parent ticket can be resolved. */
    blocking: boolean('blocking').notNull().default(true),
    /** open | done | cancelled */
    status: text('status').notNull().default('open'),
    dueAt: ts('due_at'),
    result: text('result'),
    createdById: uuid('created_by_id').references(() => staff.id),
    createdAt: createdAt(),
    completedAt: ts('completed_at'),
  },
  (t) => [index('subtasks_ticket_idx').on(t.ticketId), index('subtasks_team_idx').on(t.teamId, t.status)],
);

/** duplicate (merged into), related, or repeat (same customer, same category, recently). */
export const ticketLinks = pgTable(
  'ticket_links',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    otherTicketId: uuid('other_ticket_id')
      .notNull()
      .references(() => tickets.id),
    kind: text('kind').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.otherTicketId, t.kind] }),
    index('ticket_links_other_idx').on(t.otherTicketId),
  ],
);

/** One-time sign-in codes for the customer portal, sent by SMS. Only a hash is kept. */
export const portalCodes = pgTable(
  'portal_codes',
  {
    id: uuid('id').primaryKey(),
    msisdn: text('msisdn').notNull(),
    codeHash: text('code_hash').notNull(),
    requestIp: text('request_ip').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [
    index('portal_codes_msisdn_idx').on(t.msisdn, t.createdAt),
    index('portal_codes_ip_idx').on(t.requestIp, t.createdAt),
  ],
);

/** A customer's portal session: for all their tickets (code sign-in) or one ticket (signed link). */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    msisdn: text('msisdn'),
    scopeTicketId: uuid('scope_ticket_id').references(() => tickets.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('portal_sessions_customer_idx').on(t.customerId)],
);

/** Secrets every node must share (e.g. the key that signs portal links), generated on first start. */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/** A staff member's own named queue filters (the desk's "my views"). */
export const savedViews = pgTable(
  'saved_views',
  {
    id: uuid('id').primaryKey(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Queue page parameters: base view or team, type, grade, status, search words, sort. */
    filters: jsonb('filters').$type<Record<string, string>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('saved_views_staff_name_idx').on(t.staffId, t.name)],
);

/**
 * Managed replies (快捷回复) and macros: personal (owner), team or global texts with
 * {{placeholders}}; `actions` non-empty makes it a macro (status, tags, grade, internal note).
 */
export const replies = pgTable(
  'replies',
  {
    id: uuid('id').primaryKey(),
    /** personal | team | global */
    scope: text('scope').$type<'personal' | 'team' | 'global'>().notNull(),
    ownerId: uuid('owner_id').references(() => staff.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    body: text('body').notNull().default(''),
    actions: jsonb('actions').$type<MacroActions>().notNull().default({}),
    /** Name and body segmented (jieba, search mode), for the composer's search. */
    searchText: text('search_text').notNull().default(''),
    createdById: uuid('created_by_id').references(() => staff.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('replies_owner_idx').on(t.ownerId),
    index('replies_team_idx').on(t.teamId),
    uniqueIndex('replies_holder_name_idx').on(
      t.scope,
      sql`coalesce(${t.ownerId}, ${t.teamId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.name,
    ),
    index('replies_search_idx').using('gin', sql`to_tsvector('simple', ${t.searchText})`),
    check('replies_scope_check', sql`${t.scope} IN ('personal', 'team', 'global')`),
  ],
);

/** Settings an administrator edits in the console (0018); a missing key: the environment's value applies. */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Per channel, the queue that takes in its tickets no routing rule places (0018). No row: the
 * environment's LOOPDESK_INTAKE_QUEUES applies; a row without a team: such tickets wait on no queue.
 */
export const channelSettings = pgTable('channel_settings', {
  channel: channelEnum('channel').primaryKey(),
  intakeTeamId: uuid('intake_team_id').references(() => teams.id),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Satisfaction surveys (0022): one per ticket, created when it is resolved and sent after a delay.
 * The agent and team are those of the resolution (a later reassignment does not move the score).
 */
export const surveys = pgTable(
  'surveys',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    status: text('status').$type<SurveyStatus>().notNull().default('scheduled'),
    skipReason: text('skip_reason').$type<SurveySkipReason>(),
    /** The channel it went out on (sms: a digit reply; others: a link); null until sent. */
    channel: text('channel'),
    /** The number or address it went to; an SMS digit from this number answers it. */
    recipient: text('recipient'),
    agentId: uuid('agent_id').references(() => staff.id, { onDelete: 'set null' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    sendAfter: ts('send_after').notNull(),
    sentAt: ts('sent_at'),
    answeredAt: ts('answered_at'),
    /** The answer window (link and SMS alike). */
    expiresAt: ts('expires_at'),
    /** sha256 of the one-time link token (link surveys). */
    tokenHash: text('token_hash'),
    csat: integer('csat'),
    nps: integer('nps'),
    speed: integer('speed'),
    quality: integer('quality'),
    attitude: integer('attitude'),
    convenience: integer('convenience'),
    /** The customer's own words: kept here (erasable), never on the timeline. */
    comment: text('comment'),
    answeredVia: text('answered_via').$type<'sms' | 'link'>(),
    /** Set when the ticket was about a network incident (0031): the rating is about the outage, not the agent. */
    incidentId: uuid('incident_id'),
    /** The NPS question by SMS (0026): asked after the CSAT digit; a reply 0–10 answers it. */
    npsAskedAt: ts('nps_asked_at'),
    npsAnsweredAt: ts('nps_answered_at'),
    /** Sent, answered or scored since the facts job last counted it in the survey roll-up (0049). */
    factsPending: boolean('facts_pending').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('surveys_ticket_unique').on(t.ticketId),
    index('surveys_due_idx')
      .on(t.sendAfter)
      .where(sql`${t.status} = 'scheduled'`),
    index('surveys_customer_idx').on(t.customerId, t.createdAt),
    index('surveys_pending_recipient_idx')
      .on(t.recipient, t.sentAt)
      .where(sql`${t.status} = 'sent'`),
    uniqueIndex('surveys_token_hash_idx').on(t.tokenHash),
    // The dashboard counts a period's surveys sent and answered (0044).
    index('surveys_sent_idx').on(t.sentAt),
    index('surveys_answered_idx').on(t.answeredAt),
    index('surveys_nps_pending_idx')
      .on(t.recipient, t.npsAskedAt)
      .where(sql`${t.npsAskedAt} IS NOT NULL AND ${t.nps} IS NULL`),
    index('surveys_facts_pending_idx')
      .on(t.id)
      .where(sql`${t.factsPending}`),
  ],
);

/** Numbers that answered "TD" / "退订" to a survey: no more surveys to them. */
export const surveyOptOuts = pgTable('survey_opt_outs', {
  msisdn: text('msisdn').primaryKey(),
  createdAt: createdAt(),
});

/** The root causes a callback is filed under (0026): data administrators keep; deactivated, never deleted. */
export const rootCauses = pgTable(
  'root_causes',
  {
    code: text('code').primaryKey(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('root_causes_code_check', sql`${t.code} ~ '^[a-z][a-z0-9_]{1,39}$'`)],
);

/** Survey texts per kind and language with {ticketNumber} / {link} (0026); seeded with defaults. */
export const surveyTemplates = pgTable(
  'survey_templates',
  {
    kind: text('kind').$type<SurveyTemplateKind>().notNull(),
    language: text('language').$type<TemplateLanguage>().notNull(),
    body: text('body').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.language], name: 'survey_templates_kind_language_pk' })],
);

/** A callback to a dissatisfied customer (0025): one per survey, due within 24 hours. */
export const callbacks = pgTable(
  'callbacks',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    assigneeId: uuid('assignee_id').references(() => staff.id),
    status: text('status').$type<CallbackStatus>().notNull().default('open'),
    dueAt: ts('due_at'),
    /** A code of `root_causes` (0026). */
    rootCause: text('root_cause').references(() => rootCauses.code),
    remedy: text('remedy'),
    outcome: text('outcome').$type<CallbackOutcome>(),
    /** The complaint the callback opened (outcome `complaint_opened`), linked to the ticket. */
    complaintTicketId: uuid('complaint_ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    /** Reporting fact: the first attempt that reached the customer. */
    firstReachedAt: ts('first_reached_at'),
    completedAt: ts('completed_at'),
  },
  (t) => [
    uniqueIndex('callbacks_survey_unique').on(t.surveyId),
    // … and the callbacks opened in a period (0044).
    index('callbacks_created_idx').on(t.createdAt),
    index('callbacks_open_idx')
      .on(t.dueAt)
      .where(sql`${t.status} = 'open'`),
  ],
);

/** A problem raised in a survey (0034): one per survey, tracked to its close on two clocks. */
export const surveyProblems = pgTable(
  'survey_problems',
  {
    id: uuid('id').primaryKey(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    topics: jsonb('topics').$type<SurveyProblemTopic[]>().notNull(),
    status: text('status').$type<SurveyProblemStatus>().notNull().default('open'),
    handlerId: uuid('handler_id').references(() => staff.id),
    handlingNote: text('handling_note'),
    resolution: text('resolution'),
    respondDueAt: ts('respond_due_at'),
    resolveDueAt: ts('resolve_due_at'),
    firstHandledAt: ts('first_handled_at'),
    closedAt: ts('closed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('survey_problems_survey_unique').on(t.surveyId),
    index('survey_problems_status_idx').on(t.status, t.createdAt),
  ],
);

/** One try to reach the customer of a callback (at most three). */
export const callbackAttempts = pgTable(
  'callback_attempts',
  {
    id: uuid('id').primaryKey(),
    callbackId: uuid('callback_id')
      .notNull()
      .references(() => callbacks.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    byId: uuid('by_id')
      .notNull()
      .references(() => staff.id),
    reached: boolean('reached').notNull(),
    note: text('note').notNull().default(''),
  },
  (t) => [index('callback_attempts_callback_idx').on(t.callbackId)],
);

/**
 * QA scorecard versions (0027, issue 14): one lineage of versions, at most one draft; a published
 * version is immutable (a trigger refuses UPDATE and DELETE of it). The newest published one is in use.
 */
export const qaScorecards = pgTable(
  'qa_scorecards',
  {
    id: uuid('id').primaryKey(),
    version: integer('version').notNull().unique('qa_scorecards_version_unique'),
    name: text('name').notNull(),
    status: text('status').$type<'draft' | 'published'>().notNull().default('draft'),
    definition: jsonb('definition').$type<ScorecardDefinition>().notNull(),
    createdBy: uuid('created_by').references(() => staff.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    publishedAt: ts('published_at'),
  },
  (t) => [
    uniqueIndex('qa_scorecards_one_draft')
      .on(t.status)
      .where(sql`${t.status} = 'draft'`),
    check('qa_scorecards_status_check', sql`${t.status} IN ('draft', 'published')`),
    check('qa_scorecards_published_check', sql`(${t.status} = 'published') = (${t.publishedAt} IS NOT NULL)`),
  ],
);

/** One row per day the sampling ran: the node that inserts it samples that day (0027). */
export const qaSamplingRuns = pgTable('qa_sampling_runs', {
  day: date('day').primaryKey(),
  counts: jsonb('counts').$type<Record<string, number>>().notNull(),
  createdAt: createdAt(),
});

/** A ticket chosen for inspection (0027): at most one per ticket, assigned to an inspector. */
export const qaSamples = pgTable(
  'qa_samples',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .unique('qa_samples_ticket_unique')
      .references(() => tickets.id, { onDelete: 'cascade' }),
    runDay: date('run_day').notNull(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => staff.id),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    channel: text('channel').notNull(),
    stratum: text('stratum').$type<SampleStratum>().notNull(),
    inspectorId: uuid('inspector_id').references(() => staff.id, { onDelete: 'set null' }),
    status: text('status').$type<'open' | 'reviewed'>().notNull().default('open'),
    createdAt: createdAt(),
  },
  (t) => [
    index('qa_samples_inspector_idx').on(t.inspectorId, t.status, t.id),
    index('qa_samples_agent_month_idx').on(t.agentId, t.runDay),
    check('qa_samples_status_check', sql`${t.status} IN ('open', 'reviewed')`),
    check('qa_samples_stratum_check', sql`${t.stratum} IN ('regulator', 'low_rating', 'high_risk', 'rate', 'minimum')`),
  ],
);

/** A calibration session (0027): several inspectors score one ticket; not counted for the agent. */
export const qaCalibrations = pgTable(
  'qa_calibrations',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    scorecardId: uuid('scorecard_id')
      .notNull()
      .references(() => qaScorecards.id),
    title: text('title').notNull(),
    status: text('status').$type<'open' | 'closed'>().notNull().default('open'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => staff.id),
    createdAt: createdAt(),
    closedAt: ts('closed_at'),
  },
  (t) => [check('qa_calibrations_status_check', sql`${t.status} IN ('open', 'closed')`)],
);

/**
 * A review (0027): of a sample (counted for the agent) or in a calibration session (not counted).
 * Keeps the scorecard version it was scored on; the dispute and its decision live on the row.
 */
export const qaReviews = pgTable(
  'qa_reviews',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    sampleId: uuid('sample_id')
      .unique('qa_reviews_sample_unique')
      .references(() => qaSamples.id, { onDelete: 'cascade' }),
    calibrationId: uuid('calibration_id').references(() => qaCalibrations.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => staff.id),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    inspectorId: uuid('inspector_id')
      .notNull()
      .references(() => staff.id),
    scorecardId: uuid('scorecard_id')
      .notNull()
      .references(() => qaScorecards.id),
    items: jsonb('items').$type<ScoredItem[]>().notNull(),
    comment: text('comment').notNull().default(''),
    weighted: doublePrecision('weighted').notNull(),
    bonus: doublePrecision('bonus').notNull(),
    score: doublePrecision('score').notNull(),
    criticalFailed: boolean('critical_failed').notNull(),
    passed: boolean('passed').notNull(),
    /** The score after a dispute decision (else the score). */
    finalScore: doublePrecision('final_score').notNull(),
    status: text('status').$type<ReviewStatus>().notNull().default('submitted'),
    submittedAt: ts('submitted_at').notNull(),
    /** The agent acknowledges or disputes by then (3 working days); null for calibration reviews. */
    respondBy: ts('respond_by'),
    respondedAt: ts('responded_at'),
    /** Nobody answered in time: counted as acknowledged. */
    lapsed: boolean('lapsed').notNull().default(false),
    disputeComment: text('dispute_comment'),
    decideBy: ts('decide_by'),
    decidedAt: ts('decided_at'),
    decidedBy: uuid('decided_by').references(() => staff.id),
    decision: text('decision').$type<DisputeDecision>(),
    decisionComment: text('decision_comment'),
  },
  (t) => [
    unique('qa_reviews_calibration_inspector_unique').on(t.calibrationId, t.inspectorId),
    index('qa_reviews_agent_idx').on(t.agentId, t.submittedAt),
    // 0037: the KPI facts job finds the days that changed since its watermark.
    index('qa_reviews_submitted_idx').on(t.submittedAt),
    index('qa_reviews_responded_idx')
      .on(t.respondedAt)
      .where(sql`${t.respondedAt} IS NOT NULL`),
    index('qa_reviews_decided_idx')
      .on(t.decidedAt)
      .where(sql`${t.decidedAt} IS NOT NULL`),
    index('qa_reviews_open_response_idx')
      .on(t.respondBy)
      .where(sql`${t.status} = 'submitted' AND ${t.calibrationId} IS NULL`),
    index('qa_reviews_disputed_idx')
      .on(t.decideBy)
      .where(sql`${t.status} = 'disputed'`),
    check('qa_reviews_kind_check', sql`${t.sampleId} IS NULL OR ${t.calibrationId} IS NULL`),
    check('qa_reviews_status_check', sql`${t.status} IN ('submitted', 'acknowledged', 'disputed', 'decided')`),
    check('qa_reviews_decision_check', sql`${t.decision} IS NULL OR ${t.decision} IN ('accept', 'partly', 'reject')`),
  ],
);

/** Coaching after a failed review (0027): due within 24 business hours, closed by the agent's acknowledgement. */
export const qaCoaching = pgTable(
  'qa_coaching',
  {
    id: uuid('id').primaryKey(),
    reviewId: uuid('review_id')
      .notNull()
      .unique('qa_coaching_review_unique')
      .references(() => qaReviews.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => staff.id),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    /** The agent's team supervisor when there is one; otherwise any supervisor takes it. */
    coachId: uuid('coach_id').references(() => staff.id, { onDelete: 'set null' }),
    status: text('status').$type<'open' | 'coached' | 'done'>().notNull().default('open'),
    dueAt: ts('due_at').notNull(),
    note: text('note'),
    coachedBy: uuid('coached_by').references(() => staff.id),
    coachedAt: ts('coached_at'),
    acknowledgedAt: ts('acknowledged_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('qa_coaching_open_idx')
      .on(t.dueAt)
      .where(sql`${t.status} <> 'done'`),
    check('qa_coaching_status_check', sql`${t.status} IN ('open', 'coached', 'done')`),
  ],
);

/** One reporting fact per counted review (0027), for the KPIs: QA score and dispute rate. */
export const qaReviewFacts = pgTable(
  'qa_review_facts',
  {
    reviewId: uuid('review_id')
      .primaryKey()
      .references(() => qaReviews.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id').notNull(),
    teamId: uuid('team_id'),
    scorecardVersion: integer('scorecard_version').notNull(),
    score: doublePrecision('score').notNull(),
    finalScore: doublePrecision('final_score').notNull(),
    passed: boolean('passed').notNull(),
    criticalFailed: boolean('critical_failed').notNull(),
    disputed: boolean('disputed').notNull().default(false),
    disputeOutcome: text('dispute_outcome').$type<DisputeDecision>(),
    reviewedAt: ts('reviewed_at').notNull(),
    decidedAt: ts('decided_at'),
  },
  (t) => [
    index('qa_review_facts_agent_idx').on(t.agentId, t.reviewedAt),
    index('qa_review_facts_team_idx').on(t.teamId, t.reviewedAt),
  ],
);
/** Bodies that refer complaints to us (0032): 工信部, 通管局 via 12300, 消协, 12315, 信访, others; data. */
export const regulatorSources = pgTable('regulator_sources', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  position: integer('position').notNull().default(0),
  active: boolean('active').notNull().default(true),
});

/** A complaint the regulator referred (0032): one per source and referral number, with its ticket. */
export const regulatorReferrals = pgTable(
  'regulator_referrals',
  {
    id: uuid('id').primaryKey(),
    sourceCode: text('source_code')
      .notNull()
      .references(() => regulatorSources.code),
    referralNumber: text('referral_number').notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    /** When the customer appealed to the regulator (the eligibility hints count from it). */
    appealedOn: date('appealed_on', { mode: 'string' }).notNull(),
    /** The regulator's deadline for our report (the end of that day in the operator's zone). */
    deadline: date('deadline', { mode: 'string' }).notNull(),
    /** When the matter in dispute happened, when the referral says. */
    matterOn: date('matter_on', { mode: 'string' }),
    /** The appellant. */
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    respondentUnit: text('respondent_unit').notNull(),
    category: text('category').$type<AppealCategory>().notNull(),
    claim: text('claim').notNull(),
    facts: text('facts').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    status: text('status').$type<ReferralStatus>().notNull().default('open'),
    firstContactAt: ts('first_contact_at'),
    reportDueAt: ts('report_due_at').notNull(),
    replyText: text('reply_text'),
    repliedOn: date('replied_on', { mode: 'string' }),
    replyRecordedAt: ts('reply_recorded_at'),
    replyRecordedById: uuid('reply_recorded_by_id').references(() => staff.id),
    createdById: uuid('created_by_id').references(() => staff.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('regulator_referrals_number_unique').on(t.sourceCode, t.referralNumber),
    uniqueIndex('regulator_referrals_ticket_unique').on(t.ticketId),
    index('regulator_referrals_received_idx').on(t.receivedOn, t.category),
    index('regulator_referrals_created_idx').on(t.createdAt, t.id),
  ],
);

/** What one evidence pack holds (0032), as the JSON manifest beside the PDF in the ZIP. */
export type EvidenceManifest = {
  masked: boolean;
  messages: number;
  events: number;
  calls: number;
  attachments: { id: string; fileName: string; size: number }[];
  linkedTickets: string[];
};

/** An evidence pack generated for a referral case: a ZIP in the attachment storage. */
export const regulatorEvidencePacks = pgTable(
  'regulator_evidence_packs',
  {
    id: uuid('id').primaryKey(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => regulatorReferrals.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    masked: boolean('masked').notNull(),
    manifest: jsonb('manifest').$type<EvidenceManifest>().notNull(),
    generatedById: uuid('generated_by_id')
      .notNull()
      .references(() => staff.id),
    generatedAt: ts('generated_at').notNull(),
  },
  (t) => [index('regulator_evidence_packs_referral_idx').on(t.referralId, t.generatedAt)],
);

/** The regulator's figures for the KPIs (0032): appeals per month received and category. */
export const regulatorAppealsMonthly = pgView('regulator_appeals_monthly', {
  month: text('month').notNull(),
  category: text('category').$type<AppealCategory>().notNull(),
  appeals: integer('appeals').notNull(),
}).existing();
/** Phrase lists (0028): risk words, required script phrases, forbidden phrases, each with synonyms. */
export const phraseEntries = pgTable(
  'phrase_entries',
  {
    id: uuid('id').primaryKey(),
    list: text('list').$type<PhraseList>().notNull(),
    phrase: text('phrase').notNull(),
    synonyms: text('synonyms')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    slot: text('slot').$type<RequiredSlot>(),
    channels: text('channels')
      .array()
      .$type<Channel[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    raiseGrade: text('raise_grade').references(() => grades.code),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('phrase_entries_list_phrase_unique').on(t.list, t.phrase)],
);

/** The script check of each agent's public reply (0028): what script compliance is counted from. */
export const replyChecks = pgTable(
  'reply_checks',
  {
    messageId: uuid('message_id')
      .primaryKey()
      .references(() => ticketMessages.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id),
    channel: channelEnum('channel').notNull(),
    compliant: boolean('compliant').notNull(),
    missing: text('missing')
      .array()
      .$type<RequiredSlot[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    forbidden: text('forbidden')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [
    index('reply_checks_staff_idx').on(t.staffId, t.createdAt),
    index('reply_checks_created_idx').on(t.createdAt),
  ],
);

/** Risk words found in a customer's message (0028); no message: the ticket's own text at creation. */
export const riskHits = pgTable(
  'risk_hits',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => ticketMessages.id, { onDelete: 'cascade' }),
    channel: channelEnum('channel').notNull(),
    words: text('words').array().notNull(),
    gradeFrom: text('grade_from').notNull(),
    gradeTo: text('grade_to').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('risk_hits_created_idx').on(t.createdAt), index('risk_hits_ticket_idx').on(t.ticketId)],
);

/** Training courses (0028); passing a course's exam grants its certification, valid `validityMonths`. */
export const trainingCourses = pgTable('training_courses', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  certificationCode: text('certification_code'),
  passScore: integer('pass_score').notNull().default(80),
  validityMonths: integer('validity_months').notNull().default(12),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const trainingSessions = pgTable(
  'training_sessions',
  {
    id: uuid('id').primaryKey(),
    courseId: uuid('course_id')
      .notNull()
      .references(() => trainingCourses.id, { onDelete: 'cascade' }),
    startsAt: ts('starts_at').notNull(),
    location: text('location').notNull().default(''),
    trainer: text('trainer').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('training_sessions_course_idx').on(t.courseId, t.startsAt)],
);

/** Attendance and exam score of one person at one session (0028). */
export const trainingRecords = pgTable(
  'training_records',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => trainingSessions.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id),
    attended: boolean('attended').notNull(),
    examScore: integer('exam_score'),
    passed: boolean('passed'),
    recordedById: uuid('recorded_by_id').references(() => staff.id),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.staffId] }), index('training_records_staff_idx').on(t.staffId)],
);

const measure = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);

/**
 * KPI roll-up (0030): one row per local day × SLA metric ('' for the ticket counts) × team ×
 * agent × type × category × channel × region ('' = none), written only by the facts job.
 */
export const kpiDailyFacts = pgTable(
  'kpi_daily_facts',
  {
    day: date('day', { mode: 'string' }).notNull(),
    metric: text('metric').notNull().default(''),
    teamId: text('team_id').notNull().default(''),
    agentId: text('agent_id').notNull().default(''),
    type: text('type').notNull(),
    categoryId: text('category_id').notNull().default(''),
    channel: text('channel').notNull(),
    region: text('region').notNull().default(''),
    contacts: measure('contacts'),
    repeats: measure('repeats'),
    complaints: measure('complaints'),
    appeals: measure('appeals'),
    resolved: measure('resolved'),
    fcr: measure('fcr'),
    reopened: measure('reopened'),
    transferred: measure('transferred'),
    handlingMs: measure('handling_ms'),
    handlingBusinessMs: measure('handling_business_ms'),
    handlingBusinessN: measure('handling_business_n'),
    withinTarget: measure('within_target'),
    firstResponses: measure('first_responses'),
    firstResponseMs: measure('first_response_ms'),
    withLimits: measure('with_limits'),
    breached: measure('breached'),
    slaMet: measure('sla_met'),
    slaBreached: measure('sla_breached'),
  },
  (t) => [
    primaryKey({
      name: 'kpi_daily_facts_pk',
      columns: [t.day, t.metric, t.teamId, t.agentId, t.type, t.categoryId, t.channel, t.region],
    }),
    index('kpi_daily_facts_agent_idx').on(t.agentId, t.day),
    index('kpi_daily_facts_team_idx').on(t.teamId, t.day),
  ],
);

/**
 * The roll-up summed by one dimension at a time (0044): per local day × SLA metric, `dim` '' (the
 * whole centre, `key` '') or team, agent, type, category, channel or region with its value. The
 * facts job adds the same differences here as to kpi_daily_facts; the dashboard without filters
 * reads these few hundred rows a day instead of the full grain, which has about as many rows as
 * tickets.
 */
export const kpiDailyMarginals = pgTable(
  'kpi_daily_marginals',
  {
    dim: text('dim').notNull(),
    metric: text('metric').notNull().default(''),
    day: date('day', { mode: 'string' }).notNull(),
    key: text('key').notNull(),
    contacts: measure('contacts'),
    repeats: measure('repeats'),
    complaints: measure('complaints'),
    appeals: measure('appeals'),
    resolved: measure('resolved'),
    fcr: measure('fcr'),
    reopened: measure('reopened'),
    transferred: measure('transferred'),
    handlingMs: measure('handling_ms'),
    handlingBusinessMs: measure('handling_business_ms'),
    handlingBusinessN: measure('handling_business_n'),
    withinTarget: measure('within_target'),
    firstResponses: measure('first_responses'),
    firstResponseMs: measure('first_response_ms'),
    withLimits: measure('with_limits'),
    breached: measure('breached'),
    slaMet: measure('sla_met'),
    slaBreached: measure('sla_breached'),
  },
  (t) => [primaryKey({ name: 'kpi_daily_marginals_pk', columns: [t.dim, t.metric, t.day, t.key] })],
);

/** What each ticket last contributed to the roll-up (0030), so a recomputation adds only the difference. */
export const kpiTicketFacts = pgTable(
  'kpi_ticket_facts',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    createdDay: date('created_day', { mode: 'string' }).notNull(),
    resolvedDay: date('resolved_day', { mode: 'string' }),
    teamId: text('team_id').notNull().default(''),
    agentId: text('agent_id').notNull().default(''),
    type: text('type').notNull(),
    categoryId: text('category_id').notNull().default(''),
    channel: text('channel').notNull(),
    region: text('region').notNull().default(''),
    fcr: boolean('fcr'),
    repeat: boolean('repeat').notNull(),
    breached: boolean('breached').notNull(),
    hasLimits: boolean('has_limits').notNull(),
    withinTarget: boolean('within_target'),
    reopened: boolean('reopened').notNull(),
    cells: jsonb('cells').$type<FactCell[]>().notNull(),
    words: jsonb('words').$type<string[]>().notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('kpi_ticket_facts_created_idx').on(t.createdDay),
    index('kpi_ticket_facts_resolved_idx')
      .on(t.resolvedDay)
      .where(sql`${t.resolvedDay} IS NOT NULL`),
  ],
);

/** One counter column per survey measure (sent, answered, csat_1…5, nps_0…10), named as the measure. */
const surveyMeasureColumns = () =>
  Object.fromEntries(SURVEY_MEASURES.map((m) => [m, measure(m)])) as {
    [K in SurveyMeasure]: ReturnType<typeof measure>;
  };

/**
 * Survey roll-up (0049): surveys sent, answered and per CSAT and NPS score by local day × the
 * survey's team and agent × its ticket's type, category and channel × its customer's region ('' =
 * none), written only by the facts job (core/kpi/survey-facts.ts). The dashboard reads this and
 * never counts raw surveys.
 */
export const kpiDailySurveys = pgTable(
  'kpi_daily_surveys',
  {
    day: date('day', { mode: 'string' }).notNull(),
    teamId: text('team_id').notNull().default(''),
    agentId: text('agent_id').notNull().default(''),
    type: text('type').notNull(),
    categoryId: text('category_id').notNull().default(''),
    channel: text('channel').notNull(),
    region: text('region').notNull().default(''),
    ...surveyMeasureColumns(),
  },
  (t) => [
    primaryKey({
      name: 'kpi_daily_surveys_pk',
      columns: [t.day, t.teamId, t.agentId, t.type, t.categoryId, t.channel, t.region],
    }),
    index('kpi_daily_surveys_team_idx').on(t.teamId, t.day),
  ],
);

/**
 * The survey roll-up summed by one dimension at a time (0049): `dim` '' (the whole centre, `key`
 * '') or team, agent, type, category, channel or region with its value, per local day. What the
 * dashboard reads without filters or with one.
 */
export const kpiDailySurveyMarginals = pgTable(
  'kpi_daily_survey_marginals',
  {
    dim: text('dim').notNull(),
    key: text('key').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    ...surveyMeasureColumns(),
  },
  (t) => [primaryKey({ name: 'kpi_daily_survey_marginals_pk', columns: [t.dim, t.key, t.day] })],
);

/** How each survey was last counted in the survey roll-up (0049), so a recount adds only the difference. */
export const kpiSurveyFacts = pgTable('kpi_survey_facts', {
  surveyId: uuid('survey_id')
    .primaryKey()
    .references(() => surveys.id, { onDelete: 'cascade' }),
  teamId: text('team_id').notNull().default(''),
  agentId: text('agent_id').notNull().default(''),
  type: text('type').notNull(),
  categoryId: text('category_id').notNull().default(''),
  channel: text('channel').notNull(),
  region: text('region').notNull().default(''),
  sentDay: date('sent_day', { mode: 'string' }),
  answeredDay: date('answered_day', { mode: 'string' }),
  csat: integer('csat'),
  nps: integer('nps'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Contacts per local day and word of their text (jieba), for hot issues (0030). */
export const kpiDailyWords = pgTable(
  'kpi_daily_words',
  {
    day: date('day', { mode: 'string' }).notNull(),
    word: text('word').notNull(),
    contacts: integer('contacts').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'kpi_daily_words_pk', columns: [t.day, t.word] })],
);

/**
 * Quality facts in the KPI roll-up (0037): counted QA reviews and the script checks of public
 * replies per local day × team × agent × type × category × channel × region ('' = none); written
 * only by the facts job, which recomputes each day that changed.
 */
export const kpiDailyQuality = pgTable(
  'kpi_daily_quality',
  {
    day: date('day', { mode: 'string' }).notNull(),
    teamId: text('team_id').notNull().default(''),
    agentId: text('agent_id').notNull().default(''),
    type: text('type').notNull(),
    categoryId: text('category_id').notNull().default(''),
    channel: text('channel').notNull(),
    region: text('region').notNull().default(''),
    reviews: measure('reviews'),
    /** Σ final scores × 10 (scores have one decimal), so sums stay exact. */
    scoreTenths: measure('score_tenths'),
    disputed: measure('disputed'),
    processScored: measure('process_scored'),
    processOk: measure('process_ok'),
    replies: measure('replies'),
    compliantReplies: measure('compliant_replies'),
  },
  (t) => [
    primaryKey({
      name: 'kpi_daily_quality_pk',
      columns: [t.day, t.teamId, t.agentId, t.type, t.categoryId, t.channel, t.region],
    }),
    index('kpi_daily_quality_agent_idx').on(t.agentId, t.day),
    index('kpi_daily_quality_team_idx').on(t.teamId, t.day),
  ],
);

/** How far the facts job has read ticket_events (0030). */
export const kpiCursors = pgTable('kpi_cursors', {
  name: text('name').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull().default(0),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Subscribers per region, entered by an administrator: the base of the complaint rate (0030). */
export const kpiSubscriberBase = pgTable(
  'kpi_subscriber_base',
  {
    region: text('region').primaryKey(),
    subscribers: bigint('subscribers', { mode: 'number' }).notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  () => [check('kpi_subscriber_base_positive', sql`subscribers > 0`)],
);

/** Exports run by a job (0030): progress for the caller, a file to download when done. */
export const kpiExports = pgTable(
  'kpi_exports',
  {
    id: uuid('id').primaryKey(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    format: text('format').$type<'csv' | 'xlsx'>().notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    /** expired: the file was removed after LOOPDESK_KPI_EXPORT_KEEP_DAYS (0044). */
    status: text('status').$type<'queued' | 'running' | 'done' | 'failed' | 'expired'>().notNull().default('queued'),
    total: integer('total'),
    done: integer('done').notNull().default(0),
    storageKey: text('storage_key'),
    fileName: text('file_name'),
    error: text('error'),
    leaseUntil: ts('lease_until'),
    createdAt: createdAt(),
    finishedAt: ts('finished_at'),
  },
  (t) => [
    index('kpi_exports_queued_idx')
      .on(t.createdAt)
      .where(sql`${t.status} IN ('queued', 'running')`),
    index('kpi_exports_staff_idx').on(t.staffId, t.createdAt),
    // Files to remove: finished ones past their retention, expired ones whose file is still there (0044).
    index('kpi_exports_files_idx')
      .on(t.finishedAt)
      .where(sql`${t.storageKey} IS NOT NULL AND ${t.status} IN ('done', 'expired')`),
  ],
);

/** A supervisor's scheduled KPI report, mailed to a list (issue 16). */
export const reportSchedules = pgTable(
  'report_schedules',
  {
    id: uuid('id').primaryKey(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind').$type<'dashboard' | 'tickets'>().notNull(),
    /** Dashboard filters and granularity (kind dashboard) or the drill and its filters (kind tickets). */
    filters: jsonb('filters').$type<Record<string, string>>().notNull(),
    format: text('format').$type<'csv' | 'xlsx'>().notNull(),
    lang: text('lang').$type<'zh' | 'en'>().notNull(),
    frequency: text('frequency').$type<'daily' | 'weekly' | 'monthly'>().notNull(),
    /** Local "HH:MM" in the installation's time zone. */
    sendTime: text('send_time').notNull(),
    recipients: jsonb('recipients').$type<string[]>().notNull(),
    active: boolean('active').notNull().default(true),
    nextRunAt: ts('next_run_at'),
    lastRunAt: ts('last_run_at'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('report_schedules_owner_idx').on(t.ownerId, t.createdAt),
    index('report_schedules_due_idx')
      .on(t.nextRunAt)
      .where(sql`${t.active}`),
    check('report_schedules_kind_check', sql`${t.kind} IN ('dashboard', 'tickets')`),
    check('report_schedules_format_check', sql`${t.format} IN ('csv', 'xlsx')`),
    check('report_schedules_frequency_check', sql`${t.frequency} IN ('daily', 'weekly', 'monthly')`),
  ],
);

/** One sending of a schedule for one period (unique: a period is sent once across nodes). */
export const reportRuns = pgTable(
  'report_runs',
  {
    id: uuid('id').primaryKey(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => reportSchedules.id, { onDelete: 'cascade' }),
    periodKey: text('period_key').notNull(),
    periodFrom: text('period_from').notNull(),
    periodTo: text('period_to').notNull(),
    manual: boolean('manual').notNull().default(false),
    exportId: uuid('export_id').references(() => kpiExports.id, { onDelete: 'set null' }),
    status: text('status').$type<'exporting' | 'sent' | 'failed'>().notNull().default('exporting'),
    emails: integer('emails').notNull().default(0),
    error: text('error'),
    createdAt: createdAt(),
    finishedAt: ts('finished_at'),
  },
  (t) => [
    uniqueIndex('report_runs_period_idx').on(t.scheduleId, t.periodKey),
    index('report_runs_exporting_idx')
      .on(t.createdAt)
      .where(sql`${t.status} = 'exporting'`),
    check('report_runs_status_check', sql`${t.status} IN ('exporting', 'sent', 'failed')`),
  ],
);

/** Every download of a KPI export (0037): who and when. */
export const kpiExportDownloads = pgTable(
  'kpi_export_downloads',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    exportId: uuid('export_id')
      .notNull()
      .references(() => kpiExports.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id),
    createdAt: createdAt(),
  },
  (t) => [index('kpi_export_downloads_export_idx').on(t.exportId, t.createdAt)],
);

/**
 * A customer's personal-data request (0033, PIPL Art. 45–47): a copy, a correction, deletion or
 * the withdrawal of a consent, with its statutory clock. A deletion is previewed, approved by a
 * second person and then carried out, or held while a law requires keeping the data.
 */
export const privacyRequests = pgTable(
  'privacy_requests',
  {
    id: uuid('id').primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    kind: text('kind').$type<PrivacyRequestKind>().notNull(),
    status: text('status').$type<PrivacyRequestStatus>().notNull().default('open'),
    source: text('source').$type<'portal' | 'agent'>().notNull(),
    /** How the requester's identity was verified (portal sign-in by code, or what the agent checked). */
    identityCheck: text('identity_check').$type<IdentityCheck>().notNull(),
    recordedById: uuid('recorded_by_id').references(() => staff.id),
    /** The customer's own words (what to correct): personal data, erased with the rest. */
    details: text('details'),
    consentPurpose: text('consent_purpose').$type<ConsentPurpose>(),
    receivedAt: ts('received_at').notNull(),
    dueAt: ts('due_at').notNull(),
    /** Deletion: rows that will change, per table. */
    preview: jsonb('preview').$type<Record<string, number>>(),
    previewedById: uuid('previewed_by_id').references(() => staff.id),
    previewedAt: ts('previewed_at'),
    approvedById: uuid('approved_by_id').references(() => staff.id),
    approvedAt: ts('approved_at'),
    holdReasons: text('hold_reasons').array().$type<LegalHoldReason[]>(),
    holdUntil: ts('hold_until'),
    /** When the people who handled a held deletion were told its hold ended (the job's mark). */
    holdPromptedAt: ts('hold_prompted_at'),
    /** What the customer is told when it is refused or completed. */
    answer: text('answer'),
    closedById: uuid('closed_by_id').references(() => staff.id),
    completedAt: ts('completed_at'),
    exportState: text('export_state').$type<ExportState>(),
    exportProgress: integer('export_progress').notNull().default(0),
    exportStartedAt: ts('export_started_at'),
    exportStorageKey: text('export_storage_key'),
    exportSize: integer('export_size'),
    exportExpiresAt: ts('export_expires_at'),
    exportError: text('export_error'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('privacy_requests_customer_idx').on(t.customerId, t.receivedAt),
    index('privacy_requests_queue_idx').on(t.status, t.dueAt),
    index('privacy_requests_export_idx')
      .on(t.exportState)
      .where(sql`${t.exportState} IN ('queued', 'running')`),
  ],
);

/** Consent records (0033): the latest row per customer and purpose is in force. */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    purpose: text('purpose').$type<ConsentPurpose>().notNull(),
    granted: boolean('granted').notNull(),
    /** Where it was given or withdrawn: portal, sms, agent … */
    channel: text('channel').notNull(),
    recordedById: uuid('recorded_by_id').references(() => staff.id),
    requestId: uuid('request_id').references(() => privacyRequests.id),
    createdAt: createdAt(),
  },
  (t) => [index('consents_customer_idx').on(t.customerId, t.purpose, t.createdAt)],
);

/** One day's run of the retention job (0033): one row per local date; every node's batches add to its counts (0035). */
export const retentionRuns = pgTable(
  'retention_runs',
  {
    id: uuid('id').primaryKey(),
    runDate: date('run_date', { mode: 'string' }).notNull(),
    startedAt: ts('started_at').notNull(),
    finishedAt: ts('finished_at'),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    settings: jsonb('settings').$type<Record<string, number>>().notNull().default({}),
    error: text('error'),
  },
  (t) => [uniqueIndex('retention_runs_date_idx').on(t.runDate)],
);

/** A PostgreSQL full-text vector (read as its text form). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Knowledge base and case library (0029): an article or a case with its current content (the
 * published version's while one is live, otherwise the working copy's), segmented for search.
 * `status` is the workflow state of the working copy (core/knowledge/workflow.ts).
 */
export const kbArticles = pgTable(
  'kb_articles',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').$type<KnowledgeKind>().notNull().default('article'),
    status: text('status').$type<KnowledgeStatus>().notNull().default('draft'),
    workingVersionId: uuid('working_version_id'),
    publishedVersionId: uuid('published_version_id'),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => staff.id),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    category: text('category').notNull().default(''),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    audience: text('audience').$type<KnowledgeAudience>().notNull().default('internal'),
    region: text('region'),
    effectiveFrom: ts('effective_from'),
    effectiveUntil: ts('effective_until'),
    symptom: text('symptom').notNull().default(''),
    cause: text('cause').notNull().default(''),
    resolution: text('resolution').notNull().default(''),
    sourceTicketId: uuid('source_ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    /** The title, segmented (jieba, search mode); weighted above the rest in the ranking. */
    titleSearch: text('title_search').notNull().default(''),
    /** Body, tags, category and case fields, segmented. */
    searchText: text('search_text').notNull().default(''),
    /** Title (weight A) and text (weight B) as one stored vector (0040): searched and ranked without parsing again. */
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector('simple', "title_search"), 'A') || setweight(to_tsvector('simple', "search_text"), 'B')`,
    ),
    verifiedAt: ts('verified_at').notNull().defaultNow(),
    staleNotifiedAt: ts('stale_notified_at'),
    unhelpfulNotifiedAt: ts('unhelpful_notified_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('kb_articles_source_ticket_idx').on(t.sourceTicketId),
    index('kb_articles_status_idx').on(t.status, t.updatedAt),
    index('kb_articles_verified_idx')
      .on(t.verifiedAt)
      .where(sql`${t.publishedVersionId} IS NOT NULL`),
    index('kb_articles_search_idx').using('gin', t.searchVector),
    check('kb_articles_kind_check', sql`${t.kind} IN ('article', 'case')`),
    check('kb_articles_status_check', sql`${t.status} IN ('draft', 'in_review', 'approved', 'published', 'archived')`),
    check('kb_articles_audience_check', sql`${t.audience} IN ('internal', 'public')`),
  ],
);

/** Every saved version of an article (0029): its content as saved, who wrote it, who approved and when it went live. */
export const kbVersions = pgTable(
  'kb_versions',
  {
    id: uuid('id').primaryKey(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => kbArticles.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    content: jsonb('content').$type<KnowledgeContent>().notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => staff.id),
    createdAt: createdAt(),
    /** The version this one restored (a restore is a new draft version). */
    restoredFrom: integer('restored_from'),
    reviewerId: uuid('reviewer_id').references(() => staff.id),
    approvedAt: ts('approved_at'),
    publishedAt: ts('published_at'),
    reviewNote: text('review_note'),
  },
  (t) => [uniqueIndex('kb_versions_article_number_unique').on(t.articleId, t.number)],
);

/** Synonym groups for knowledge search (0029), maintained by administrators: a query word finds each of its group. */
export const kbSynonyms = pgTable('kb_synonyms', {
  id: uuid('id').primaryKey(),
  terms: jsonb('terms').$type<string[]>().notNull(),
  createdAt: createdAt(),
});

/** Which article or case an agent inserted into a reply on which ticket (0029). */
export const kbUsages = pgTable(
  'kb_usages',
  {
    id: uuid('id').primaryKey(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => kbArticles.id, { onDelete: 'cascade' }),
    versionId: uuid('version_id'),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id),
    at: ts('at').notNull(),
  },
  (t) => [index('kb_usages_ticket_idx').on(t.ticketId, t.at), index('kb_usages_article_idx').on(t.articleId)],
);

/** "Was this helpful?" answers on the portal (0029), anonymous. */
export const kbFeedback = pgTable(
  'kb_feedback',
  {
    id: uuid('id').primaryKey(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => kbArticles.id, { onDelete: 'cascade' }),
    helpful: boolean('helpful').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [index('kb_feedback_article_idx').on(t.articleId, t.at)],
);

/** A customer opened a suggested article while writing a request and left without submitting (0029). */
export const kbDeflections = pgTable(
  'kb_deflections',
  {
    id: uuid('id').primaryKey(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => kbArticles.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
  },
  (t) => [index('kb_deflections_article_idx').on(t.articleId, t.at)],
);

// ---------------------------------------------------------------- network incidents (0031)

/** Incident levels (I–IV by default) as data: names and the priority linked tickets get at least. */
export const incidentLevels = pgTable('incident_levels', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  rank: integer('rank').notNull(),
  priority: integer('priority').$type<Priority>().notNull(),
});

export const incidentNumberSeq = pgSequence('incident_number_seq', { startWith: 1, cache: 1 });

/** One network outage that many tickets are about (issue 17). */
export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey(),
    number: text('number').notNull().unique(),
    title: text('title').notNull(),
    category: text('category').$type<IncidentCategory>().notNull(),
    level: text('level')
      .notNull()
      .references(() => incidentLevels.code),
    /** Regions or districts, matched against the customers' registered region. */
    areas: text('areas').array().notNull(),
    /** Optional cell ids, streets or buildings (shown to agents and in notices). */
    locations: text('locations')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    services: text('services')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Ticket category codes the incident covers (matched on the ticket's category path). */
    ticketCategories: text('ticket_categories').array().notNull(),
    /** jieba words of which a ticket must contain one to be linked (empty: any). */
    matchWords: text('match_words')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    regionType: text('region_type').$type<RegionType>().notNull().default('city'),
    status: text('status').$type<IncidentStatus>().notNull().default('investigating'),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    publicMessage: text('public_message').notNull().default(''),
    /** What agents say to callers (the banner's suggested words). */
    agentScript: text('agent_script').notNull().default(''),
    startedAt: ts('started_at').notNull(),
    /** When the first ticket of its candidate arrived (time to detect = created − started). */
    detectedAt: ts('detected_at'),
    expectedRepairAt: ts('expected_repair_at'),
    restoredAt: ts('restored_at'),
    resolutionNote: text('resolution_note'),
    lessons: text('lessons'),
    reviewedAt: ts('reviewed_at'),
    /** Proactive notices to the customers of the areas are wanted (the notice job sends them). */
    notifyCustomers: boolean('notify_customers').notNull().default(false),
    /** The send time of the last notice queued (the rate limit continues from there). */
    noticeSlotAt: ts('notice_slot_at'),
    /** The last customer (by id) the notice job has looked at (0036); null: from the start. */
    noticeCursor: uuid('notice_cursor'),
    createdById: uuid('created_by_id').references(() => staff.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('incidents_active_idx')
      .on(t.startedAt)
      .where(sql`${t.status} IN ('investigating', 'identified', 'repairing', 'monitoring')`),
    index('incidents_created_idx').on(t.createdAt, t.id),
  ],
);

/** The incident's own timeline (status moves, updates, links, notices, remedies). */
export const incidentEvents = pgTable(
  'incident_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id').references(() => staff.id, { onDelete: 'set null' }),
    kind: text('kind').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('incident_events_incident_idx').on(t.incidentId, t.id)],
);

/** What the detection job proposes; at most one open candidate per ticket category and area. */
export const incidentCandidates = pgTable(
  'incident_candidates',
  {
    id: uuid('id').primaryKey(),
    categoryCode: text('category_code').notNull(),
    region: text('region').notNull(),
    ticketCount: integer('ticket_count').notNull(),
    firstAt: ts('first_at').notNull(),
    lastAt: ts('last_at').notNull(),
    status: text('status').$type<'open' | 'confirmed' | 'dismissed'>().notNull().default('open'),
    incidentId: uuid('incident_id').references(() => incidents.id, { onDelete: 'set null' }),
    decidedById: uuid('decided_by_id').references(() => staff.id, { onDelete: 'set null' }),
    decidedAt: ts('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('incident_candidates_open_unique')
      .on(t.categoryCode, t.region)
      .where(sql`${t.status} = 'open'`),
    index('incident_candidates_decided_idx').on(t.categoryCode, t.region, t.decidedAt),
  ],
);

/** An update written on the incident, sent to every linked customer. */
export const incidentUpdates = pgTable(
  'incident_updates',
  {
    id: uuid('id').primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    recipients: integer('recipients').notNull(),
    createdById: uuid('created_by_id').references(() => staff.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('incident_updates_incident_idx').on(t.incidentId, t.createdAt)],
);

/** A proactive notice: one per customer and incident (the primary key), written with its outbox row. */
export const incidentNotices = pgTable(
  'incident_notices',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    msisdn: text('msisdn').notNull(),
    outboxId: uuid('outbox_id').notNull(),
    createdAt: createdAt(),
    /** Told the service is back (0036): by the notice job, or by the bulk resolution on their ticket. */
    restoredAt: ts('restored_at'),
    /** The outbox row of the restoration notice (null: the bulk resolution told them). */
    restoredOutboxId: uuid('restored_outbox_id'),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.customerId] }),
    index('incident_notices_customer_idx').on(t.customerId),
    index('incident_notices_unrestored_idx')
      .on(t.incidentId, t.customerId)
      .where(sql`${t.restoredAt} IS NULL`),
  ],
);

/** Numbers that asked for no outage notices. */
export const noticeOptOuts = pgTable('notice_opt_outs', {
  msisdn: text('msisdn').primaryKey(),
  createdAt: createdAt(),
});

/** A remedy granted to a customer for an incident (data pack in MB, fee waiver in fen). */
export const incidentRemedies = pgTable(
  'incident_remedies',
  {
    id: uuid('id').primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    kind: text('kind').$type<RemedyKind>().notNull(),
    amount: integer('amount').notNull(),
    unit: text('unit').notNull(),
    status: text('status').$type<RemedyStatus>().notNull(),
    note: text('note').notNull().default(''),
    grantedById: uuid('granted_by_id')
      .notNull()
      .references(() => staff.id),
    decidedById: uuid('decided_by_id').references(() => staff.id),
    createdAt: createdAt(),
    decidedAt: ts('decided_at'),
  },
  (t) => [
    index('incident_remedies_incident_idx').on(t.incidentId, t.createdAt),
    index('incident_remedies_customer_idx').on(t.customerId),
  ],
);

// ---------------------------------------------------------------- online service: live chat (0042)

/**
 * A live chat (issue 20): the bot first, then the queue, then an agent. `last_seq` numbers the
 * messages (taken under the row's lock, so seq has no gaps); `token_hash` is the customer's
 * conversation token (anonymous customers hold only that).
 */
export const chatConversations = pgTable(
  'chat_conversations',
  {
    id: uuid('id').primaryKey(),
    channel: text('channel').$type<ChatChannel>().notNull(),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    /** Signed in with the number's code (portal) or vouched for by a signed gateway: personal answers allowed. */
    customerVerified: boolean('customer_verified').notNull().default(false),
    /** The app's user id or the WeChat openid (gateway conversations). */
    externalUserId: text('external_user_id'),
    tokenHash: text('token_hash').notNull(),
    state: text('state').$type<ChatState>().notNull().default('bot'),
    language: text('language').$type<ChatLanguage>().notNull().default('zh'),
    agentId: uuid('agent_id').references(() => staff.id),
    teamId: uuid('team_id').references(() => teams.id),
    lastSeq: integer('last_seq').notNull().default(0),
    botLowConfidenceCount: integer('bot_low_confidence_count').notNull().default(0),
    handoffReason: text('handoff_reason').$type<HandoffReason>(),
    queuedAt: ts('queued_at'),
    acceptedAt: ts('accepted_at'),
    firstHumanResponseAt: ts('first_human_response_at'),
    firstResponseWarnedAt: ts('first_response_warned_at'),
    /** The customer's and the agent's last messages (the customer-inactivity limit, 0051). */
    customerMessageAt: ts('customer_message_at'),
    agentMessageAt: ts('agent_message_at'),
    /** The last moment a node knew the customer's stream open (null: never opened one). */
    customerStreamAt: ts('customer_stream_at'),
    endedAt: ts('ended_at'),
    endedBy: text('ended_by').$type<'customer' | 'agent' | 'system'>(),
    outcome: text('outcome').$type<ChatOutcome>(),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    transfers: integer('transfers').notNull().default(0),
    /** The transcript's words and the account id were removed (retention or erasure, 0050). */
    anonymisedAt: ts('anonymised_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('chat_conversations_token_idx').on(t.tokenHash),
    index('chat_conversations_retention_idx')
      .on(sql`coalesce(${t.endedAt}, ${t.updatedAt})`)
      .where(sql`${t.anonymisedAt} IS NULL AND ${t.ticketId} IS NULL`),
    index('chat_conversations_queue_idx')
      .on(t.teamId, t.queuedAt)
      .where(sql`${t.state} = 'queued'`),
    index('chat_conversations_agent_idx')
      .on(t.agentId)
      .where(sql`${t.state} = 'assigned'`),
    index('chat_conversations_customer_idx').on(t.customerId, t.createdAt),
    index('chat_conversations_external_idx')
      .on(t.channel, t.externalUserId)
      .where(sql`${t.state} <> 'ended'`),
    index('chat_conversations_first_response_idx')
      .on(t.queuedAt)
      .where(
        sql`${t.firstHumanResponseAt} IS NULL AND ${t.firstResponseWarnedAt} IS NULL AND ${t.state} IN ('queued', 'assigned')`,
      ),
    index('chat_conversations_created_idx').on(t.createdAt),
    check('chat_conversations_channel_check', sql`${t.channel} IN ('portal', 'app', 'wechat')`),
    check('chat_conversations_state_check', sql`${t.state} IN ('bot', 'queued', 'assigned', 'ended')`),
    check('chat_conversations_language_check', sql`${t.language} IN ('zh', 'en')`),
    check(
      'chat_conversations_outcome_check',
      sql`${t.outcome} IS NULL OR ${t.outcome} IN ('settled', 'ticket', 'left_message', 'abandoned')`,
    ),
    check(
      'chat_conversations_handoff_check',
      sql`${t.handoffReason} IS NULL OR ${t.handoffReason} IN ('asked', 'low_confidence', 'risk')`,
    ),
    check(
      'chat_conversations_ended_by_check',
      sql`${t.endedBy} IS NULL OR ${t.endedBy} IN ('customer', 'agent', 'system')`,
    ),
    check('chat_conversations_assigned_check', sql`${t.state} <> 'assigned' OR ${t.agentId} IS NOT NULL`),
  ],
);

/** One message of a chat, numbered per conversation; a client's retry (same id) finds the stored one. */
export const chatMessages = pgTable(
  'chat_messages',
  {
    id: uuid('id').primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => chatConversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    author: text('author').$type<ChatAuthor>().notNull(),
    agentId: uuid('agent_id').references(() => staff.id),
    clientMessageId: text('client_message_id'),
    body: text('body').notNull(),
    /** Bot: articles offered, intent, confidence; system: hand-off, transfer, warning facts. */
    payload: jsonb('payload').$type<ChatMessagePayload>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('chat_messages_seq_idx').on(t.conversationId, t.seq),
    uniqueIndex('chat_messages_client_id_idx')
      .on(t.conversationId, t.clientMessageId)
      .where(sql`${t.clientMessageId} IS NOT NULL`),
    check('chat_messages_author_check', sql`${t.author} IN ('customer', 'bot', 'agent', 'system')`),
  ],
);

/**
 * Contact-centre figures per local 15-minute interval, medium (voice | chat) and queue (0043): the
 * sums the wallboard and the KPI dashboard read. Written with each CTI event (and by the chat facts
 * job) as the difference of what one contact contributes.
 */
export const contactIntervalFacts = pgTable(
  'contact_interval_facts',
  {
    intervalStart: ts('interval_start').notNull(),
    media: text('media').notNull().$type<'voice' | 'chat'>(),
    queue: text('queue').notNull().default(''),
    /** Local day and minute of the day of the interval's start (the time zone of the deployment). */
    day: date('day', { mode: 'string' }).notNull(),
    minute: integer('minute').notNull(),
    offered: measure('offered'),
    answered: measure('answered'),
    abandoned: measure('abandoned'),
    shortAbandoned: measure('short_abandoned'),
    answeredInSl: measure('answered_in_sl'),
    answerWaitMs: measure('answer_wait_ms'),
    abandonWaitMs: measure('abandon_wait_ms'),
    conversations: measure('conversations'),
    ended: measure('ended'),
    contained: measure('contained'),
    firstResponses: measure('first_responses'),
    firstResponseMs: measure('first_response_ms'),
    firstResponseInTarget: measure('first_response_in_target'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'contact_interval_facts_pk', columns: [t.intervalStart, t.media, t.queue] }),
    index('contact_interval_facts_day_idx').on(t.day, t.media),
  ],
);

/** What each call ('call:<callId>') or conversation ('chat:<id>') contributes now (0043). */
export const contactFacts = pgTable('contact_facts', {
  contactKey: text('contact_key').primaryKey(),
  media: text('media').notNull().$type<'voice' | 'chat'>(),
  queue: text('queue').notNull().default(''),
  intervalStart: ts('interval_start').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  minute: integer('minute').notNull(),
  cells: jsonb('cells').notNull().$type<Record<string, number>>(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** How far the chat facts job has read conversations (0043). */
export const contactFactCursors = pgTable('contact_fact_cursors', {
  name: text('name').primaryKey(),
  readTo: ts('read_to').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
