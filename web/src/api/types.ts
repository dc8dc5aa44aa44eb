// The shapes the desk reads, from the server's own contracts (src/contracts): one definition,
// checked by the compiler on both sides. Types only (`import type`): no zod in the browser bundle.
import type { z } from 'zod';
import type { SessionView } from '../../../src/contracts/auth';
import type { Board as BoardSchema } from '../../../src/contracts/board';
import type { CustomerView } from '../../../src/contracts/customers';
import type { CategoryView, GradeView, TeamView } from '../../../src/contracts/directory';
import type { SavedViewView } from '../../../src/contracts/saved-views';
import type {
  AgentView,
  AssigneeList as AssigneeListSchema,
  BlockedAssignees as BlockedAssigneesSchema,
} from '../../../src/contracts/routing';
import type {
  AttachmentView,
  MessageView,
  TicketSummary as TicketSummarySchema,
  TicketView,
} from '../../../src/contracts/tickets';
import type { SubtaskView } from '../../../src/contracts/collaboration';
import type { SlaTargetView } from '../../../src/contracts/sla';
import { CUSTOMER_TIERS, STAFF_ENTERED_CHANNELS, TICKET_STATUSES } from '../../../src/core/tickets/types';

export type { LiveTicketEvent, TimelineEvent, TimelineKind } from '../../../src/contracts/events';
export type { TicketStatus } from '../../../src/core/tickets/types';
export type { TicketAction } from '../../../src/core/tickets/state-machine';
// The lifecycle's lists, from the state machine itself (plain arrays, no server code comes with them).
import { isOpen, OPEN_STATUSES, TICKET_ACTIONS } from '../../../src/core/tickets/state-machine';
export { isOpen, OPEN_STATUSES, TICKET_ACTIONS };
export type { PiiField } from '../../../src/core/privacy/masking';
export type { StaffAbility, TicketAbility } from '../../../src/core/auth/abilities';
export { CUSTOMER_TIERS, STAFF_ENTERED_CHANNELS, TICKET_STATUSES };

export type StaffRef = { id: string; displayName: string } | null;
/** Open statuses as the list API's `status` filter takes them. */
export const OPEN_FILTER = OPEN_STATUSES.join(',');

export type TicketSummary = z.output<typeof TicketSummarySchema>;
export type Ticket = z.output<typeof TicketView>;
export type Page<T> = { items: T[]; nextCursor: string | null };
export type Message = z.output<typeof MessageView>;
export type Customer = z.output<typeof CustomerView>;
export type Category = z.output<typeof CategoryView>;
export type Team = z.output<typeof TeamView>;
export type Session = z.output<typeof SessionView>;
export type Agent = z.output<typeof AgentView>;
/** Whom a supervisor may name as one ticket's assignee; `missingCertifications` empty: assignable. */
export type AssigneeList = z.output<typeof AssigneeListSchema>;
export type BlockedAssignees = z.output<typeof BlockedAssigneesSchema>;
export type Board = z.output<typeof BoardSchema>;
export type Attachment = z.output<typeof AttachmentView>;
export type Grade = z.output<typeof GradeView>;
export type SavedView = z.output<typeof SavedViewView>;
/** The `call` server-sent event: the answered call's caller and open tickets (screen pop). */
export type { ScreenPop } from '../../../src/contracts/calls';

export type SlaTarget = z.output<typeof SlaTargetView>;
export type Subtask = z.output<typeof SubtaskView>;
