import { NotificationBody } from '../../contracts/events.js';
import type { Tx } from '../../db/client.js';
import { notifications } from '../../db/schema.js';

/** One message for one member of staff, about a ticket (or a contact that has none yet). */
export type StaffNotification = NotificationBody & { recipientId: string; ticketId: string | null };

/**
 * Writes notifications for staff in one statement. Each is checked against its kind's schema
 * (src/contracts/events.ts): a payload the inbox could not read is a bug, and fails here, in the
 * transaction that wrote it, not later in someone's inbox. The same message to the same person is written once.
 */
export async function notifyStaff(tx: Tx, notes: readonly StaffNotification[], at: Date): Promise<void> {
  const seen = new Set<string>();
  const rows = notes.flatMap(({ recipientId, ticketId, ...body }) => {
    const key = `${recipientId}|${ticketId}|${JSON.stringify(body)}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const { kind, payload } = NotificationBody.parse(body);
    return [{ kind, payload, recipientId, ticketId, createdAt: at }];
  });
  if (rows.length > 0) await tx.insert(notifications).values(rows);
}
