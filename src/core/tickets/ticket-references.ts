// Timeline events that name another ticket (a repeat of an earlier one, a link, a merge) carry
// its id and number. A reader who may not read that other ticket sees that there is one, and
// nothing that identifies it.

/** Where each kind of event keeps the other ticket's id and number. */
const REFERENCES: Record<string, readonly { id: string; number: string }[]> = {
  repeat_detected: [{ id: 'earlier', number: 'earlierNumber' }],
  linked: [{ id: 'other', number: 'otherNumber' }],
  // A callback that opened a complaint names it.
  callback_completed: [{ id: 'complaint', number: 'complaintNumber' }],
  // The closed duplicate names the survivor (`into`); the survivor names the duplicate (`from`,
  // with `fromNumber`: on the duplicate's own event `from` is its former status).
  merged: [
    { id: 'into', number: 'intoNumber' },
    { id: 'from', number: 'fromNumber' },
  ],
};

const slots = (kind: string, data: Record<string, unknown>) =>
  (REFERENCES[kind] ?? []).filter((s) => typeof data[s.id] === 'string' && s.number in data);

/** Ids of the other tickets an event names. */
export function referencedTicketIds(kind: string, data: Record<string, unknown>): string[] {
  return slots(kind, data).map((s) => data[s.id] as string);
}

/** The event's data as `canRead` allows: an unreadable ticket's id and number give way to `hiddenTicket: true`. */
export function withoutHiddenTickets(
  kind: string,
  data: Record<string, unknown>,
  canRead: (ticketId: string) => boolean,
): Record<string, unknown> {
  const hidden = slots(kind, data).filter((s) => !canRead(data[s.id] as string));
  if (hidden.length === 0) return data;
  const kept = { ...data };
  for (const s of hidden) {
    delete kept[s.id];
    delete kept[s.number];
  }
  return { ...kept, hiddenTicket: true };
}
