import { eq, sql } from 'drizzle-orm';
import { formatTicketNumber } from '../../core/tickets/ticket-number.js';
import type { Channel, TicketType } from '../../core/tickets/types.js';
import type { Tx } from '../../db/client.js';
import { customers, grades, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { applyRules, categoryPathOf, loadRuleSet, routedEventData, rulesStamp, type Routed } from '../routing/route-ticket.js';
import { startSla } from '../sla/sla-lifecycle.js';
import { detectRepeat } from './link-tickets.js';
import { recordEvent } from './record-event.js';
import { unknownReference } from './references.js';

// The two halves every new ticket goes through, whoever opened it (an agent, a channel message,
// the portal, an email): what routing decides, and the insert with its timeline, clocks and
// repeat check.

export type NewTicketDraft = {
  customerId: string;
  type: TicketType;
  categoryId: string | null;
  grade: string;
  channel: Channel;
  tags: string[];
  subject: string;
  description: string;
};

/** One round trip for the customer's tier and region, the grade check, the category path and the next number; then the routing decision. */
export async function routeNewTicket(tx: Tx, deps: Deps, draft: NewTicketDraft, now: Date): Promise<{ number: string; routed: Routed }> {
  const [facts] = await tx
    .select({
      tier: customers.tier,
      region: customers.region,
      rulesStamp,
      categoryPath: categoryPathOf(draft.categoryId),
      gradeExists: sql<boolean>`exists (select 1 from ${grades} where ${grades.code} = ${draft.grade})`,
      seq: sql<string>`nextval('ticket_number_seq')`,
    })
    .from(customers)
    .where(eq(customers.id, draft.customerId));
  if (!facts) throw unknownReference('customerId', 'No such customer');
  if (!facts.gradeExists) throw unknownReference('grade', `Unknown grade "${draft.grade}"`);
  const routed = applyRules(await loadRuleSet(deps.db, tx, facts.rulesStamp), { ...draft, categoryPath: facts.categoryPath ?? [], customerTier: facts.tier, region: facts.region });
  return { number: formatTicketNumber(now, Number(facts.seq), deps.timeZone), routed };
}

/** Inserts the ticket, writes "created" (with `createdData` added) and the routing explanation, starts its clocks and flags a repeat contact. */
export async function insertNewTicket(
  tx: Tx,
  deps: Deps,
  row: typeof tickets.$inferInsert & { id: string; number: string; status: 'new' | 'assigned'; createdAt: Date },
  routed: Routed,
  createdBy: { actorId: string | null; data?: Record<string, unknown> },
  now: Date,
) {
  const [inserted] = await tx.insert(tickets).values(row).returning();
  const t = inserted!;
  await recordEvent(tx, {
    ticketId: t.id,
    actorId: createdBy.actorId,
    kind: 'created',
    at: now,
    data: { number: t.number, type: t.type, grade: t.grade, priority: t.priority, channel: t.channel, status: t.status, ...createdBy.data },
  });
  await recordEvent(tx, { ticketId: t.id, actorId: null, kind: 'routed', at: now, data: routedEventData(routed) });
  await startSla(tx, t, now);
  await detectRepeat(tx, t, now, deps.repeatWindowDays);
  return t;
}
