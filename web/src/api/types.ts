// The shapes the desk reads, from the server's own contracts (src/contracts): one definition,
// checked by the compiler on both sides. Types only (`import type`): no zod in the browser bundle.
import type { z } from 'zod';
import type { SessionView } from '../../../src/contracts/auth';
import type { Board as BoardSchema } from '../../../src/contracts/board';
import type { CustomerView } from '../../../src/contracts/customers';
import type { CallView } from '../../../src/contracts/calls';
import type { CategoryView, GradeView, TeamView } from '../../../src/contracts/directory';
import type { SavedViewView } from '../../../src/contracts/saved-views';
import type { AgentView } from '../../../src/contracts/routing';
import type {
  AttachmentView,
  MessageView,
  TicketSummary as TicketSummarySchema,
  TicketView,
} from '../../../src/contracts/tickets';
import { TICKET_STATUSES } from '../../../src/core/tickets/types';

export type { LiveTicketEvent, TimelineEvent, TimelineKind } from '../../../src/contracts/events';
export type { TicketStatus } from '../../../src/core/tickets/types';
import type { TicketAction } from '../../../src/core/tickets/state-machine';
export type { TicketAction };
export type { PiiField } from '../../../src/core/privacy/masking';
export type { StaffAbility, TicketAbility } from '../../../src/core/auth/abilities';
export { TICKET_STATUSES };

export type StaffRef = { id: string; displayName: string } | null;
/** The statuses a ticket is open in (the server's OPEN_STATUSES, without its error module). */
export const OPEN_STATUSES = TICKET_STATUSES.filter((s) => s !== 'resolved' && s !== 'closed');
/** Open statuses as the list API's `status` filter takes them. */
export const OPEN_FILTER = OPEN_STATUSES.join(',');
export const isOpen = (status: (typeof TICKET_STATUSES)[number]) =>
  (OPEN_STATUSES as readonly string[]).includes(status);
export const TICKET_ACTIONS: readonly TicketAction[] = [
  'start',
  'wait_customer',
  'wait_department',
  'resume',
  'resolve',
  'close',
  'reopen',
];

export type TicketSummary = z.output<typeof TicketSummarySchema>;
export type Ticket = z.output<typeof TicketView>;
export type Page<T> = { items: T[]; nextCursor: string | null };
export type Message = z.output<typeof MessageView>;
export type Customer = z.output<typeof CustomerView>;
export type Category = z.output<typeof CategoryView>;
export type Team = z.output<typeof TeamView>;
export type Session = z.output<typeof SessionView>;
export type Agent = z.output<typeof AgentView>;
export type Board = z.output<typeof BoardSchema>;
export type Attachment = z.output<typeof AttachmentView>;
export type Grade = z.output<typeof GradeView>;
export type SavedView = z.output<typeof SavedViewView>;
/** The `call` server-sent event: the answered call's caller and open tickets (screen pop). */
export type ScreenPop = Pick<z.output<typeof CallView>, 'callId' | 'customerId' | 'openTicketIds'>;

// SLA and sub-task responses have no contract in src/contracts yet: described here until they do.
export type SlaTarget = {
  metric: string;
  state: 'ok' | 'warning' | 'breached' | 'paused' | 'met';
  dueAt: string | null;
  remainingMs: number;
  limitMinutes: number;
  counting: boolean;
  countingChangesAt: string | null;
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
