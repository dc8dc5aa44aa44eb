import type { z } from 'zod';
import { maskAddress, maskIdNumber, maskPhone } from '../core/privacy/masking.js';
import type { CustomerView } from '../contracts/customers.js';
import type { customers } from '../db/schema.js';

/** Personal data is always masked here; unmasked values come only from the audited reveal action. */
export function presentCustomer(c: typeof customers.$inferSelect, numbers: string[]): z.output<typeof CustomerView> {
  return {
    id: c.id,
    name: c.name,
    numbers: numbers.map(maskPhone),
    idNumber: c.idNumber ? maskIdNumber(c.idNumber) : null,
    address: c.address ? maskAddress(c.address) : null,
    tier: c.tier,
    region: c.region,
    plans: c.plans,
    createdAt: c.createdAt.toISOString(),
  };
}
