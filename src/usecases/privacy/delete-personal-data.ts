import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { erasureAnswer, erasurePlan, referralHoldReason, type HeldTicket } from '../../core/privacy/erasure.js';
import type { AppealCategory } from '../../core/regulator/referrals.js';
import { queryRows, type Tx } from '../../db/client.js';
import { privacyRequests } from '../../db/schema.js';
import type { AttachmentStorage } from '../../storage/attachment-storage.js';
import type { Deps } from '../deps.js';
import { decideOrThrow, loadRequestForUpdate } from './decide-privacy-request.js';
import { eraseCustomerData, type ErasureResult } from './erase-customer-data.js';
import { privacySettingsOf } from './privacy-settings.js';
import { requirePrivacyDesk } from './read-privacy-requests.js';

// A deletion request (PIPL Art. 47) on the privacy desk: one person previews what will change
// (rows per table, and what a law keeps), a second person approves and the data is erased. Tickets
// under an open regulator case or billing dispute are kept, with the profile; the request then
// waits on hold, answered with what is kept and until when, and is previewed again later.

/** Tickets a law keeps for now: open regulator cases (and the complaints linked to them), open billing disputes. */
export async function heldTicketsOf(tx: Tx, customerId: string): Promise<HeldTicket[]> {
  const referrals = await queryRows<{ ticket_id: string; number: string; category: AppealCategory; due: Date }>(
    tx,
    sql`SELECT r.ticket_id, t.number, r.category, r.report_due_at AS due
        FROM regulator_referrals r JOIN tickets t ON t.id = r.ticket_id
        WHERE r.customer_id = ${customerId} AND r.status = 'open'`,
  );
  const held: HeldTicket[] = [];
  for (const r of referrals) {
    const reason = referralHoldReason(r.category);
    const dueAt = new Date(r.due);
    held.push({ ticketId: r.ticket_id, ticketNumber: r.number, reason, dueAt });
    const linked = await queryRows<{ id: string; number: string }>(
      tx,
      sql`SELECT t.id, t.number FROM ticket_links l JOIN tickets t ON t.id = l.other_ticket_id
          WHERE l.ticket_id = ${r.ticket_id}`,
    );
    for (const l of linked) held.push({ ticketId: l.id, ticketNumber: l.number, reason, dueAt });
  }
  const disputes = await queryRows<{ id: string; number: string }>(
    tx,
    sql`SELECT t.id, t.number FROM tickets t JOIN categories c ON c.id = t.category_id
        WHERE t.customer_id = ${customerId} AND c.code = 'complaint-billing' AND t.status NOT IN ('resolved', 'closed')`,
  );
  for (const d of disputes)
    held.push({ ticketId: d.id, ticketNumber: d.number, reason: 'billing_dispute', dueAt: null });
  return held;
}

class PreviewRollback extends Error {}

/** What the deletion would change, counted by running it in a savepoint that is rolled back. */
async function dryRun(tx: Tx, customerId: string, held: HeldTicket[], now: Date, holdDays: number) {
  const plan = erasurePlan(held, now, holdDays);
  let result: ErasureResult | undefined;
  try {
    await tx.transaction(async (sp) => {
      result = await eraseCustomerData(
        sp,
        { kind: 'customer', customerId, heldTicketIds: plan.heldTicketIds, keepProfile: plan.keepProfile },
        now,
      );
      throw new PreviewRollback();
    });
  } catch (err) {
    if (!(err instanceof PreviewRollback)) throw err;
  }
  return { plan, counts: result!.counts };
}

export async function previewDeletion(deps: Deps, actor: Actor, id: string): Promise<void> {
  requirePrivacyDesk(actor);
  const now = deps.clock.now();
  const { holdDays } = privacySettingsOf(deps);
  await deps.db.transaction(async (tx) => {
    const r = await loadRequestForUpdate(tx, id);
    const held = await heldTicketsOf(tx, r.customerId);
    const { plan, counts } = await dryRun(tx, r.customerId, held, now, holdDays);
    const status = decideOrThrow(r, 'preview', actor, plan.hold?.reasons ?? []);
    await tx
      .update(privacyRequests)
      .set({
        status,
        preview: { ...counts, held_tickets: plan.heldTicketIds.length },
        previewedById: actor.id,
        previewedAt: now,
        holdReasons: plan.hold?.reasons ?? null,
        holdUntil: plan.hold?.until ?? null,
        holdPromptedAt: null,
        updatedAt: now,
      })
      .where(eq(privacyRequests.id, id));
  });
}

/**
 * The second person approves: everything not held is erased now; the answer tells the customer
 * what a law keeps and until when. Files leave storage after commit.
 */
export async function approveDeletion(
  deps: Deps & { storage: AttachmentStorage },
  actor: Actor,
  id: string,
): Promise<{ counts: Record<string, number> }> {
  requirePrivacyDesk(actor);
  const now = deps.clock.now();
  const { holdDays } = privacySettingsOf(deps);
  const result = await deps.db.transaction(async (tx) => {
    const r = await loadRequestForUpdate(tx, id);
    if (r.previewedById === null) throw new AppError('privacy.invalid_transition', 'Preview the deletion first');
    const held = await heldTicketsOf(tx, r.customerId);
    const plan = erasurePlan(held, now, holdDays);
    const status = decideOrThrow(r, 'approve', actor, plan.hold?.reasons ?? []);
    const erased = await eraseCustomerData(
      tx,
      { kind: 'customer', customerId: r.customerId, heldTicketIds: plan.heldTicketIds, keepProfile: plan.keepProfile },
      now,
    );
    const done = status === 'completed';
    await tx
      .update(privacyRequests)
      .set({
        status,
        approvedById: actor.id,
        approvedAt: now,
        holdReasons: plan.hold?.reasons ?? null,
        holdUntil: plan.hold?.until ?? null,
        holdPromptedAt: null,
        answer: erasureAnswer(held, plan, deps.timeZone),
        closedById: done ? actor.id : null,
        completedAt: done ? now : null,
        updatedAt: now,
      })
      .where(eq(privacyRequests.id, id));
    return erased;
  });
  await Promise.all(result.storageKeys.map((key) => deps.storage.remove(key)));
  return { counts: result.counts };
}
