import { eq } from 'drizzle-orm';
import { canAssign, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { missingCertifications, requiredCertifications } from '../../core/routing/assignment.js';
import { customers } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { listAgents } from '../routing/agents.js';
import { loadTicketFor } from './load-ticket.js';

/**
 * The people a supervisor may name as this ticket's assignee, each with the certifications the one
 * rule (core/routing/assignment.ts) finds missing for this ticket — empty: the server takes them.
 * The desk's picker shows from this whom it can offer, so it never offers someone the assignment
 * refuses with 409 ticket.assignee_not_certified. Presence and capacity are not a bar here: a
 * supervisor's assignment overrides them.
 */
export async function listAssignees(deps: Deps, actor: Actor, ticketId: string) {
  const { ticket, access } = await loadTicketFor(deps.db, actor, ticketId);
  if (!canAssign(actor, access, null))
    throw new AppError('auth.forbidden', 'Only supervisors assign others; you may take a ticket yourself');
  const [customer] = await deps.db
    .select({ tier: customers.tier })
    .from(customers)
    .where(eq(customers.id, ticket.customerId));
  const facts = { type: ticket.type, grade: ticket.grade, channel: ticket.channel, customerTier: customer!.tier };
  const people = await listAgents(deps);
  return {
    required: requiredCertifications(facts),
    items: people.map((p) => ({
      ...p,
      missingCertifications: missingCertifications(facts, new Set(p.certifications.map((c) => c.code))),
    })),
  };
}
