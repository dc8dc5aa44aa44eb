import type { z } from 'zod';
import type { Actor } from '../core/auth/policy.js';
import { freeTextFor } from '../core/privacy/free-text.js';
import type { NotificationView } from '../contracts/notifications.js';

export type NotificationRecord = {
  id: number;
  kind: string;
  ticketId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
  readAt: Date | null;
  ticket: { id: string; number: string; subject: string; status: string } | null;
};

/** One notification for its recipient: ticket subjects (also inside the payload) as the viewer sees free text. */
export function presentNotification(n: NotificationRecord, viewer: Actor): z.output<typeof NotificationView> {
  const text = freeTextFor(viewer);
  const payload = Object.fromEntries(
    Object.entries(n.payload).map(([k, v]) => [k, typeof v === 'string' && k === 'subject' ? text(v) : v]),
  );
  return {
    id: n.id,
    kind: n.kind,
    ticketId: n.ticketId,
    ticket: n.ticket ? { ...n.ticket, subject: text(n.ticket.subject) } : null,
    payload,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}
