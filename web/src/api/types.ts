// The shapes the desk reads, as the API documents them (see /api/docs).

export type StaffRef = { id: string; displayName: string } | null;
export const OPEN_STATUSES = ['new', 'assigned', 'in_progress', 'pending_customer', 'pending_department'] as const;
export const TICKET_STATUSES = [...OPEN_STATUSES, 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Open statuses as the list API's `status` filter takes them. */
export const OPEN_FILTER = OPEN_STATUSES.join(',');
export const isOpen = (status: TicketStatus) => (OPEN_STATUSES as readonly string[]).includes(status);
export type TicketAction = 'start' | 'wait_customer' | 'wait_department' | 'resume' | 'resolve' | 'close' | 'reopen';
export const TICKET_ACTIONS: readonly TicketAction[] = [
  'start',
  'wait_customer',
  'wait_department',
  'resume',
  'resolve',
  'close',
  'reopen',
];
/** What the signed-in person may do to a ticket now, as the server computes it (`abilities`). */
export type TicketAbility =
  | TicketAction
  | 'edit'
  | 'reply'
  | 'add_note'
  | 'attach'
  | 'take'
  | 'assign'
  | 'escalate'
  | 'de_escalate'
  | 'add_subtask'
  | 'merge'
  | 'link';
/** What the desk offers the person beyond single tickets (the session's `staff.abilities`). */
export type StaffAbility =
  | 'create_ticket'
  | 'read_customers'
  | 'write_customers'
  | 'reveal_pii'
  | 'supervise'
  | 'read_access_log'
  | 'administer';

export type TicketSummary = {
  id: string;
  number: string;
  type: 'inquiry' | 'fault' | 'complaint' | 'service_request';
  grade: string;
  priority: number;
  status: TicketStatus;
  channel: string;
  subject: string;
  customer: { id: string; name: string; tier: 'vip' | 'gold' | 'silver' | 'regular' };
  teamId: string | null;
  assignee: StaffRef;
  firstContactOwner: StaffRef;
  tags: string[];
  isRepeat: boolean;
  slaDueAt: string | null;
  createdAt: string;
  updatedAt: string;
  abilities: TicketAbility[];
};

export type Ticket = TicketSummary & {
  description: string;
  category: { id: string; code: string; nameZh: string; nameEn: string } | null;
  contactNumber: string | null;
  team: { id: string; name: string } | null;
  supportLevel: number;
  mergedIntoId: string | null;
  openBlockingSubtasks: number;
  version: number;
  availableActions: TicketAction[];
};

export type Page<T> = { items: T[]; nextCursor: string | null };
export type Message = {
  id: string;
  visibility: 'public' | 'internal';
  channel: string;
  author: StaffRef;
  fromCustomer: boolean;
  bodyHtml: string;
  createdAt: string;
};
export type TimelineEvent = {
  id: number;
  kind: string;
  actor: StaffRef;
  data: Record<string, unknown>;
  createdAt: string;
};
export type SlaTarget = {
  metric: string;
  state: 'ok' | 'warning' | 'breached' | 'paused' | 'met';
  dueAt: string | null;
  remainingMs: number;
  limitMinutes: number;
  counting: boolean;
  countingChangesAt: string | null;
};
export type Customer = {
  id: string;
  name: string;
  numbers: string[];
  idNumber: string | null;
  address: string | null;
  tier: TicketSummary['customer']['tier'];
  region: string | null;
  plans: string[];
};
export type Category = {
  id: string;
  parentId: string | null;
  code: string;
  nameZh: string;
  nameEn: string;
  ticketType: TicketSummary['type'] | null;
};
export type Team = { id: string; code: string; name: string; kind: string };
export type Session = {
  staff: {
    id: string;
    username: string;
    displayName: string;
    role: string;
    teamId: string | null;
    locale: string;
    abilities: StaffAbility[];
  };
  csrfToken: string;
};
export type Agent = {
  id: string;
  displayName: string;
  role: string;
  teamId: string | null;
  presence: 'online' | 'away' | 'offline';
  openCount: number;
  capacity: number;
  queues: string[];
};
export type Board = {
  teams: {
    id: string | null;
    name: string;
    kind: string;
    open: number;
    oldestOpenAgeMinutes: number;
    counts: Partial<Record<TicketStatus, number>>;
  }[];
  agents: { id: string; displayName: string; role: string; teamId: string | null; openCount: number }[];
};
export type Subtask = {
  id: string;
  teamName: string;
  title: string;
  status: 'open' | 'done' | 'cancelled';
  blocking: boolean;
  dueAt: string | null;
  result: string | null;
  abilities: ('complete' | 'cancel')[];
};
