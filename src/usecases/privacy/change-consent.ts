import { consentsInForce, type ConsentPurpose } from '../../core/privacy/requests.js';
import type { Deps } from '../deps.js';
import { consentRecords } from './consent-in-force.js';
import { recordConsent } from './file-privacy-request.js';

// The customer's own consent switches in the portal: what is in force now with the history, and a
// change recorded at once (given again, or withdrawn: withdrawing surveys withdraws the pending ones).

export async function readConsents(deps: Deps, customerId: string) {
  const history = await consentRecords(deps.db, customerId);
  return { ...consentsInForce(history), history };
}

export async function changeConsent(deps: Deps, customerId: string, purpose: ConsentPurpose, granted: boolean) {
  const now = deps.clock.now();
  await deps.db.transaction((tx) => recordConsent(tx, now, customerId, purpose, granted, { via: 'portal' }));
  return readConsents(deps, customerId);
}
