// Customer care: the churn risk and the care counts of one customer (shapes from src/contracts/customers.ts).
import type { z } from 'zod';
import type { CustomerCareView } from '../../../src/contracts/customers';
import { get, patch } from './client';
import type { Customer } from './types';

export type CustomerCare = z.output<typeof CustomerCareView>;
export type ChurnReason = CustomerCare['churnRisk']['reasons'][number];

export const fetchCustomerCare = (customerId: string) =>
  get<CustomerCare>(`/api/v1/customers/${encodeURIComponent(customerId)}/care`);

/** A VIP or gold customer's dedicated account manager (supervisors and admins); null removes them. */
export const setAccountManager = (customerId: string, accountManagerId: string | null) =>
  patch<Customer>(`/api/v1/customers/${encodeURIComponent(customerId)}`, { accountManagerId });
