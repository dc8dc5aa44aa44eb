// Customer care: the churn risk and the care counts of one customer (shapes from src/contracts/customers.ts).
import type { z } from 'zod';
import type { CustomerCareView } from '../../../src/contracts/customers';
import { get } from './client';

export type CustomerCare = z.output<typeof CustomerCareView>;
export type ChurnReason = CustomerCare['churnRisk']['reasons'][number];

export const fetchCustomerCare = (customerId: string) =>
  get<CustomerCare>(`/api/v1/customers/${encodeURIComponent(customerId)}/care`);
