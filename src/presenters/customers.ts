import type { z } from 'zod';
import { maskAddress, maskEmail, maskIdNumber, maskPhone } from '../core/privacy/masking.js';
import { freeTextFor } from '../core/privacy/free-text.js';
import type { CustomerTier } from '../core/tickets/types.js';
import type { CustomerView } from '../contracts/customers.js';
import type { Viewer } from './tickets.js';

export type CustomerRecord = {
  id: string;
  name: string;
  idNumber: string | null;
  address: string | null;
  tier: CustomerTier;
  region: string | null;
  plans: string[];
  createdAt: Date;
};

export type AccountManager = { id: string; name: string };

/**
 * Personal data is always masked here; unmasked values come only from the audited reveal action.
 * The name came from the customer (a channel's display name may be a number): masked for viewers
 * who may not reveal personal data.
 */
export function presentCustomer(
  c: CustomerRecord,
  numbers: string[],
  viewer: Viewer,
  emails: string[] = [],
  accountManager: AccountManager | null = null,
): z.output<typeof CustomerView> {
  return {
    id: c.id,
    name: freeTextFor(viewer)(c.name),
    numbers: numbers.map(maskPhone),
    emails: emails.map(maskEmail),
    idNumber: c.idNumber ? maskIdNumber(c.idNumber) : null,
    address: c.address ? maskAddress(c.address) : null,
    tier: c.tier,
    region: c.region,
    plans: c.plans,
    accountManager,
    createdAt: c.createdAt.toISOString(),
  };
}
