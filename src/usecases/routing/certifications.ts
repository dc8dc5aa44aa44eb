import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { Actor } from '../../core/auth/policy.js';
import { assertCertifiedFor, missingCertifications, type CertificationFacts } from '../../core/routing/assignment.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { agentCertifications, type tickets } from '../../db/schema.js';
import { customerTierOf } from '../tickets/ticket-actions.js';

// Loads what the one certification rule (core/routing/assignment.ts) reads when a person is named
// as assignee: the ticket's type, grade, channel and customer tier, and the person's certifications
// valid now (an expired one counts as none). The auto-assigner loads the same for its candidates.

/** Codes of the certifications this person holds valid at `now`. */
export async function validCertificationsOf(tx: DbOrTx, staffId: string, now: Date): Promise<Set<string>> {
  const rows = await tx
    .select({ code: agentCertifications.code })
    .from(agentCertifications)
    .where(
      and(
        eq(agentCertifications.staffId, staffId),
        or(isNull(agentCertifications.expiresAt), gt(agentCertifications.expiresAt, now)),
      ),
    );
  return new Set(rows.map((r) => r.code));
}

/** Refuses (409 ticket.assignee_not_certified) a named assignee the certification rule rules out for this ticket. */
export async function assertAssigneeCertified(
  tx: Tx,
  ticket: Pick<typeof tickets.$inferSelect, 'type' | 'grade' | 'channel' | 'customerId'>,
  staffId: string,
  now: Date,
): Promise<void> {
  const customerTier = await customerTierOf(tx, ticket.customerId);
  assertCertifiedFor(
    { type: ticket.type, grade: ticket.grade, channel: ticket.channel, customerTier },
    await validCertificationsOf(tx, staffId, now),
  );
}

/**
 * The viewer's side of the certification rule, for the tickets one response shows (a page, a
 * list): their valid certifications are loaded once, then each ticket asks whether they may hold it.
 */
export async function viewerCertification(
  db: DbOrTx,
  viewer: Actor,
  now: Date,
): Promise<(ticket: CertificationFacts) => boolean> {
  const held = await validCertificationsOf(db, viewer.id, now);
  return (ticket) => missingCertifications(ticket, held).length === 0;
}
