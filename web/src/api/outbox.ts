// Deliveries for supervisors: outbound messages (the dead-letter list) and quarantined mail.
// Recipients, senders and error texts arrive masked from the server.

import { get, post, query } from './client';

/** logged: only written to the server log, no gateway or relay configured (nothing was delivered). */
export type OutboxState = 'pending' | 'sent' | 'logged' | 'dead';
export type OutboundMessage = {
  id: string;
  channel: string;
  recipient: string;
  ticketId: string | null;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
  sentAt: string | null;
};
export type QuarantinedMail = {
  id: string;
  reason: string;
  envelopeFrom: string | null;
  size: number;
  receivedAt: string;
  retriedAt: string | null;
  resolvedTicketId: string | null;
};
export type QuarantineRetry = {
  outcome: 'accepted' | 'recorded' | 'dropped' | 'still_quarantined' | 'already_resolved';
  ticketId?: string | null;
  ticketNumber?: string;
  created?: boolean;
  reason?: string;
};
type PageOf<T> = { items: T[]; nextCursor: string | null };

export const listOutbox = (state: OutboxState, cursor?: string) =>
  get<PageOf<OutboundMessage>>(`/api/v1/outbox${query({ state, cursor, limit: 25 })}`);
export const retryOutbox = (id: string) => post<void>(`/api/v1/outbox/${id}/retry`);
export const listQuarantinedMail = (all: boolean, cursor?: string) =>
  get<PageOf<QuarantinedMail>>(
    `/api/v1/quarantined-mail${query({ all: all ? 'true' : undefined, cursor, limit: 25 })}`,
  );
export const retryQuarantinedMail = (id: string) => post<QuarantineRetry>(`/api/v1/quarantined-mail/${id}/retry`);
