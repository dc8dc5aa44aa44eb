// Network incidents (src/contracts/incidents.ts).
import type { z } from 'zod';
import type {
  CandidateConfirmBody,
  CandidateView,
  IncidentBanner,
  IncidentCreate,
  IncidentDetail,
  IncidentEdit,
  IncidentLevelView,
  IncidentSummary,
  RemedyGrantBody,
  RemedyView,
  CustomerRemedyView,
  ResolveOutcome,
} from '../../../src/contracts/incidents';
import type { IncidentStatus } from '../../../src/core/incidents/incidents';
import { del, get, patch, post, query } from './client';

const base = '/api/v1/incidents';

export type Incident = IncidentDetail;
export type IncidentRow = z.infer<typeof IncidentSummary>;
export type Candidate = z.infer<typeof CandidateView>;
export type Banner = z.infer<typeof IncidentBanner>;
export type IncidentLevel = z.infer<typeof IncidentLevelView>;
export type Remedy = z.infer<typeof RemedyView>;
export type CustomerRemedy = z.infer<typeof CustomerRemedyView>;

export const incidentsApi = {
  list: (status: 'active' | 'closed' | 'all', cursor?: string) =>
    get<{ items: IncidentRow[]; nextCursor: string | null }>(`${base}${query({ status, limit: 50, cursor })}`),
  get: (id: string) => get<Incident>(`${base}/${id}`),
  create: (body: z.input<typeof IncidentCreate>) => post<Incident>(base, body),
  edit: (id: string, body: z.input<typeof IncidentEdit>) => patch<Incident>(`${base}/${id}`, body),
  move: (id: string, status: IncidentStatus, note?: string) =>
    post<{ incident: Incident; resolution: z.infer<typeof ResolveOutcome> | null }>(`${base}/${id}/status`, {
      status,
      ...(note ? { note } : {}),
    }),
  postUpdate: (id: string, body: string) => post<{ recipients: number }>(`${base}/${id}/updates`, { body }),
  link: (id: string, ticketId: string) => post<void>(`${base}/${id}/tickets`, { ticketId }),
  unlink: (id: string, ticketId: string) => del<{ reopened: boolean }>(`${base}/${id}/tickets/${ticketId}`),
  remedies: (id: string) => get<Remedy[]>(`${base}/${id}/remedies`),
  /** The remedies granted to one customer, newest first (the customer panel). */
  customerRemedies: (customerId: string) =>
    get<CustomerRemedy[]>(`/api/v1/customers/${encodeURIComponent(customerId)}/remedies`),
  grantRemedy: (id: string, body: z.input<typeof RemedyGrantBody>) =>
    post<{ granted: number; pendingApproval: number }>(`${base}/${id}/remedies`, body),
  decideRemedy: (id: string, remedyId: string, approve: boolean) =>
    post<void>(`${base}/${id}/remedies/${remedyId}/decision`, { approve }),
  review: (id: string, lessons: string) => post<Incident>(`${base}/${id}/review`, { lessons }),
  reviewMarkdownUrl: (id: string) => `${base}/${id}/review.md`,
  decideRemedies: (id: string, remedyIds: string[], approve: boolean) =>
    post<{ decided: number }>(`${base}/${id}/remedies/decision`, { remedyIds, approve }),
  remediesCsvUrl: (id: string) => `${base}/${id}/remedies.csv`,
  levels: () => get<IncidentLevel[]>('/api/v1/incident-levels'),
  banner: (params: { customerId?: string; ticketId?: string }) =>
    get<Banner[]>(`/api/v1/incident-banner${query(params)}`),
  candidates: () => get<Candidate[]>('/api/v1/incident-candidates'),
  confirm: (id: string, body: z.input<typeof CandidateConfirmBody>) =>
    post<Incident>(`/api/v1/incident-candidates/${id}/confirm`, body),
  dismiss: (id: string) => post<void>(`/api/v1/incident-candidates/${id}/dismiss`),
};
