import { and, eq, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canCreateTicket, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import {
  OPEN_PRIVACY_STATUSES,
  privacyDueAt,
  type ConsentPurpose,
  type IdentityCheck,
  type PrivacyRequestKind,
} from '../../core/privacy/requests.js';
import type { Tx } from '../../db/client.js';
import { consents, customers, privacyRequests } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { withdrawPendingSurveys } from '../surveys/surveys.js';
import { privacyCalendar, privacySettingsOf } from './privacy-settings.js';

// A personal-data request, from the customer in the portal (identified by signing in with a code
// sent to their number) or recorded by an agent who says how they verified the caller. The
// statutory clock starts at once; a copy request queues its export, a withdrawal of consent takes
// effect at once (PIPL Art. 15: as easy to withdraw as to give).

export type PrivacyRequestInput = {
  kind: PrivacyRequestKind;
  details?: string | undefined;
  consentPurpose?: ConsentPurpose | undefined;
};

export type Requester =
  | { via: 'portal'; customerId: string }
  | { via: 'agent'; actor: Actor; customerId: string; identityCheck: Exclude<IdentityCheck, 'portal_code'> };

export async function filePrivacyRequest(deps: Deps, requester: Requester, input: PrivacyRequestInput) {
  // The front office takes requests from callers and visitors (as it takes tickets).
  if (requester.via === 'agent' && !canCreateTicket(requester.actor))
    throw new AppError('auth.forbidden', 'Your role does not record personal-data requests');
  const settings = privacySettingsOf(deps);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [customer] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.id, requester.customerId))
      .for('update');
    if (!customer) throw notFound('Customer');
    // One open request of a kind at a time: a second click, or a second agent, finds the first.
    const [open] = await tx
      .select({ id: privacyRequests.id })
      .from(privacyRequests)
      .where(
        and(
          eq(privacyRequests.customerId, customer.id),
          eq(privacyRequests.kind, input.kind),
          inArray(privacyRequests.status, [...OPEN_PRIVACY_STATUSES]),
        ),
      );
    if (open && input.kind !== 'consent_withdrawal')
      throw new AppError('privacy.request_open', 'A request of this kind is already being handled', {
        requestId: open.id,
      });
    const calendar = await privacyCalendar(tx, settings.calendarId);
    const id = uuidv7();
    const withdrawal = input.kind === 'consent_withdrawal';
    await tx.insert(privacyRequests).values({
      id,
      customerId: customer.id,
      kind: input.kind,
      status: withdrawal ? 'completed' : 'open',
      source: requester.via,
      identityCheck: requester.via === 'portal' ? 'portal_code' : requester.identityCheck,
      recordedById: requester.via === 'agent' ? requester.actor.id : null,
      details: input.details ?? null,
      consentPurpose: input.consentPurpose ?? null,
      receivedAt: now,
      dueAt: privacyDueAt(now, settings.dueWorkingDays, calendar),
      completedAt: withdrawal ? now : null,
      exportState: input.kind === 'access' ? 'queued' : null,
      createdAt: now,
      updatedAt: now,
    });
    if (withdrawal) await recordConsent(tx, now, customer.id, input.consentPurpose!, false, requester, id);
    return { id };
  });
}

/** A consent given or withdrawn; withdrawing surveys also withdraws the surveys not yet answered. */
export async function recordConsent(
  tx: Tx,
  now: Date,
  customerId: string,
  purpose: ConsentPurpose,
  granted: boolean,
  requester: { via: 'portal' } | { via: 'sms' } | { via: 'agent'; actor: Actor },
  requestId: string | null = null,
): Promise<void> {
  await tx.insert(consents).values({
    id: uuidv7(),
    customerId,
    purpose,
    granted,
    channel: requester.via,
    recordedById: requester.via === 'agent' ? requester.actor.id : null,
    requestId,
    createdAt: now,
  });
  if (purpose === 'surveys' && !granted) await withdrawPendingSurveys(tx, customerId);
}
