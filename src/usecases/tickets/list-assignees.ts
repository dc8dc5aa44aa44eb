import { eq } from 'drizzle-orm';
import { canAssign, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import {
  missingCertifications,
  requiredCertifications,
  type CertificationFacts,
} from '../../core/routing/assignment.js';
import { customers } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { listAgents } from '../routing/agents.js';
import { loadTicketFor } from './load-ticket.js';

type Person = Awaited<ReturnType<typeof listAgents>>[number];

/** What the one certification rule (core/routing/assignment.ts) finds missing, per person, for one ticket. */
const missingFor = (facts: CertificationFacts, p: Person) =>
  missingCertifications(facts, new Set(p.certifications.map((c) => c.code)));

/** The ticket (readable and assignable by `actor`) with what the certification rule reads of it. */
async function assignable(deps: Deps, actor: Actor, ticketId: string): Promise<CertificationFacts> {
  const { ticket, access } = await loadTicketFor(deps.db, actor, ticketId);
  if (!canAssign(actor, access, null))
    throw new AppError('auth.forbidden', 'Only supervisors assign others; you may take a ticket yourself');
  const [customer] = await deps.db
    .select({ tier: customers.tier })
    .from(customers)
    .where(eq(customers.id, ticket.customerId));
  return { type: ticket.type, grade: ticket.grade, channel: ticket.channel, customerTier: customer!.tier };
}

/**
 * The people a supervisor may name as this ticket's assignee, each with the certifications the one
 * rule finds missing for this ticket — empty: the server takes them. The desk's picker shows from
 * this whom it can offer, so it never offers someone the assignment refuses with 409
 * ticket.assignee_not_certified. Presence and capacity are not a bar here: a supervisor's
 * assignment overrides them.
 */
export async function listAssignees(deps: Deps, actor: Actor, ticketId: string) {
  const facts = await assignable(deps, actor, ticketId);
  const people = await listAgents(deps);
  return {
    required: requiredCertifications(facts),
    items: people.map((p) => ({ ...p, missingCertifications: missingFor(facts, p) })),
  };
}

/**
 * For a list of tickets (the supervisor board's), whom the rule rules out of each: only the people
 * lacking something are named. Tickets the actor may not read or assign are left out.
 */
export async function listBlockedAssignees(deps: Deps, actor: Actor, ticketIds: readonly string[]) {
  const people = await listAgents(deps);
  const items = [];
  for (const ticketId of new Set(ticketIds)) {
    let facts: CertificationFacts;
    try {
      facts = await assignable(deps, actor, ticketId);
    } catch (err) {
      if (err instanceof AppError) continue;
      throw err;
    }
    const blocked = people
      .map((p) => ({ staffId: p.id, missingCertifications: missingFor(facts, p) }))
      .filter((b) => b.missingCertifications.length > 0);
    items.push({ ticketId, required: requiredCertifications(facts), blocked });
  }
  return { items };
}
