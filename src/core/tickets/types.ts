// Plain domain vocabulary shared by every part of the core. No I/O here.

export const TICKET_TYPES = ['inquiry', 'fault', 'complaint', 'service_request'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const TICKET_STATUSES = [
  'new',
  'assigned',
  'in_progress',
  'pending_customer',
  'pending_department',
  'resolved',
  'closed',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const CHANNELS = [
  'hotline',
  'app',
  'web',
  'wechat',
  'sms',
  'email',
  'shop',
  'enterprise',
  'regulator', // complaints referred by the telecom regulator: highest sensitivity
] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Channels on which a person takes the contact and types the ticket in (the desk's new-ticket
 * form): the hotline, a shop counter, the government-and-enterprise line, a referral from the
 * regulator. The others arrive by themselves (webhooks, mail, the portal).
 */
export const STAFF_ENTERED_CHANNELS = [
  'hotline',
  'shop',
  'enterprise',
  'regulator',
] as const satisfies readonly Channel[];

export const CUSTOMER_TIERS = ['vip', 'gold', 'silver', 'regular'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

/** Grades are configurable data; these are the handbook defaults. */
export const DEFAULT_GRADES = ['general', 'major', 'urgent'] as const;
export type GradeCode = string;

export const ROLES = ['agent', 'expert', 'supervisor', 'qa', 'department', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** 1 is the most urgent. */
export type Priority = 1 | 2 | 3 | 4;

/**
 * What a public staff message is (ticket_messages.kind): which SLA targets each kind meets is per
 * policy, decided in core/sla/milestones.ts. An acknowledgement answers the customer but is no
 * handling plan.
 */
export const MESSAGE_KINDS = ['acknowledgement', 'handling_plan', 'answer', 'other'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
