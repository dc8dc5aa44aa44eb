import { and, eq } from 'drizzle-orm';
import { consentsInForce, type ConsentPurpose } from '../../core/privacy/requests.js';
import type { DbOrTx } from '../../db/client.js';
import { consents } from '../../db/schema.js';

// The consent in force for a purpose (PIPL Art. 15: withdrawal as easy as giving): the latest record
// of the customer, else the default (service messages yes, marketing no). Read by every feature that
// sends a customer something on its own initiative: survey dispatch, incident notices.

export async function consentRecords(db: DbOrTx, customerId: string) {
  return db
    .select({ purpose: consents.purpose, granted: consents.granted, channel: consents.channel, at: consents.createdAt })
    .from(consents)
    .where(eq(consents.customerId, customerId))
    .orderBy(consents.createdAt, consents.id);
}

export async function hasConsent(db: DbOrTx, customerId: string, purpose: ConsentPurpose): Promise<boolean> {
  const rows = await db
    .select({ purpose: consents.purpose, granted: consents.granted, at: consents.createdAt })
    .from(consents)
    .where(and(eq(consents.customerId, customerId), eq(consents.purpose, purpose)))
    // The test clock gives several records one instant: the later id is the later record.
    .orderBy(consents.createdAt, consents.id);
  return consentsInForce(rows)[purpose];
}
