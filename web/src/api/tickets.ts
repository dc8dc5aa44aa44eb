// Typed endpoint functions for tickets, customers and the reference lists the ticket screens read.
// Components call these, never a literal '/api/v1/…' URL.
import type { z } from 'zod';
import type { CustomerCreate, RevealBody } from '../../../src/contracts/customers';
import type { ClassificationSuggestionView, TicketCreate, TicketUpdate } from '../../../src/contracts/tickets';
import type { LinkView } from '../../../src/contracts/collaboration';
import { get, patch, post, query } from './client';
import type {
  AssigneeList,
  Category,
  Customer,
  Message,
  Page,
  PiiField,
  Ticket,
  TicketAction,
  TicketSummary,
  TimelineEvent,
} from './types';

export type TicketCreateBody = z.input<typeof TicketCreate>;
export type TicketUpdateBody = z.input<typeof TicketUpdate>;
export type CustomerCreateBody = z.input<typeof CustomerCreate>;
export type TicketLink = z.output<typeof LinkView>;

const ticketUrl = (id: string) => `/api/v1/tickets/${encodeURIComponent(id)}`;
const customerUrl = (id: string) => `/api/v1/customers/${encodeURIComponent(id)}`;

export const fetchTicket = (id: string) => get<Ticket>(ticketUrl(id));

export const listTickets = (params: Record<string, string | number | undefined | null>) =>
  get<Page<TicketSummary>>(`/api/v1/tickets${query(params)}`);

/** One key per form: a double click or a retry after a timeout cannot open two tickets. */
export const createTicket = (body: TicketCreateBody, idempotencyKey: string) =>
  post<Ticket>('/api/v1/tickets', body, { 'idempotency-key': idempotencyKey });

/** Send the version you read: a stale one is refused (ticket.version_conflict). */
export const updateTicket = (id: string, body: TicketUpdateBody) => patch<Ticket>(ticketUrl(id), body);

export const transitionTicket = (id: string, action: TicketAction, note?: string) =>
  post<Ticket>(`${ticketUrl(id)}/transitions`, { action, ...(note ? { note } : {}) });

/** The customer's answer to a resolution, given on the phone: solved closes, not solved reopens. */
export const recordConfirmation = (id: string, solved: boolean, note?: string) =>
  post<Ticket>(`${ticketUrl(id)}/confirmation`, { solved, ...(note ? { note } : {}) });

export const assignTicket = (id: string, assigneeId: string | null) =>
  post<Ticket>(`${ticketUrl(id)}/assignment`, { assigneeId });

/** The people a supervisor may assign this ticket to, with what the certification rule finds missing for each. */
export const fetchAssignees = (id: string) => get<AssigneeList>(`${ticketUrl(id)}/assignees`);

/** A supervisor's assignment, past capacity and presence if need be (never past the certification rule). */
export const reassignTicket = (id: string, assigneeId: string) =>
  post<Ticket>(`${ticketUrl(id)}/assignment`, { assigneeId, override: true });

export const escalateTicket = (id: string, note: string, teamId?: string) =>
  post<Ticket>(`${ticketUrl(id)}/escalate`, { note, ...(teamId ? { teamId } : {}) });

export const deEscalateTicket = (id: string, note: string) => post<Ticket>(`${ticketUrl(id)}/de-escalate`, { note });

export const addMessage = (
  id: string,
  body: {
    visibility: 'public' | 'internal';
    body: string;
    kind?: 'acknowledgement' | 'handling_plan' | 'answer' | 'other';
  },
) => post<Message>(`${ticketUrl(id)}/messages`, body);

export const fetchMessages = (id: string) => get<{ items: Message[] }>(`${ticketUrl(id)}/messages`);

export const fetchTimeline = (id: string) => get<{ items: TimelineEvent[] }>(`${ticketUrl(id)}/timeline`);

/** Merge this ticket (a duplicate) into another of the same customer; returns the one that carries on. */
export const mergeTicket = (id: string, intoTicketId: string) =>
  post<Ticket>(`${ticketUrl(id)}/merge`, { intoTicketId });

export const linkTicket = (id: string, otherTicketId: string) =>
  post<void>(`${ticketUrl(id)}/links`, { otherTicketId });

export const fetchLinks = (id: string) => get<{ items: TicketLink[] }>(`${ticketUrl(id)}/links`);

export const fetchCategories = () => get<{ items: Category[] }>('/api/v1/categories');

export const searchCustomers = (q: string, limit = 10) =>
  get<Page<Customer>>(`/api/v1/customers${query({ q, limit })}`);

export const fetchCustomer = (id: string) => get<Customer>(customerUrl(id));

export const createCustomer = (body: CustomerCreateBody) => post<Customer>('/api/v1/customers', body);

/** Unmasked values, written to the personal-data access log with the reason. */
export const revealPii = (customerId: string, body: z.input<typeof RevealBody>) =>
  post<{ field: PiiField; values: string[] }>(`${customerUrl(customerId)}/reveal`, body);

export type ClassificationSuggestion = z.output<typeof ClassificationSuggestionView>;
/** Suggested type, categories and grade for a text (the new-ticket form). */
export const suggestClassification = (subject: string, description: string) =>
  post<ClassificationSuggestion>('/api/v1/tickets/classification-suggestions', { subject, description });
/** The suggestion for a ticket's own subject and description. */
export const fetchClassificationSuggestion = (id: string) =>
  get<ClassificationSuggestion>(`${ticketUrl(id)}/classification-suggestion`);
