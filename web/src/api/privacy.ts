// Personal-data rights (src/contracts/privacy.ts): the portal's "my data" and the privacy desk.
import type { z } from 'zod';
import type {
  ConsentChange,
  ConsentsView,
  DeskPrivacyRequestCreate,
  PortalPrivacyRequest,
  PortalPrivacyRequestCreate,
  PrivacyRequestView,
  RetentionRunView,
} from '../../../src/contracts/privacy';
import { get, post, put, query } from './client';

export type PortalPrivacyRequest = z.output<typeof PortalPrivacyRequest>;
export type PrivacyRequest = z.output<typeof PrivacyRequestView>;
export type RetentionRun = z.output<typeof RetentionRunView>;
export type Consents = z.output<typeof ConsentsView>;

const portal = '/api/portal/v1/privacy';
const desk = '/api/v1/privacy';

export const portalPrivacyApi = {
  requests: () => get<{ items: PortalPrivacyRequest[] }>(`${portal}/requests`),
  create: (body: z.input<typeof PortalPrivacyRequestCreate>) => post<{ id: string }>(`${portal}/requests`, body),
  downloadUrl: (id: string) => `${portal}/requests/${id}/export`,
  consents: () => get<Consents>(`${portal}/consents`),
  setConsent: (body: z.input<typeof ConsentChange>) => put<Consents>(`${portal}/consents`, body),
};

export const privacyApi = {
  list: (status: 'open' | 'closed', cursor?: string) =>
    get<{ items: PrivacyRequest[]; nextCursor: string | null }>(
      `${desk}/requests${query({ status, limit: 50, cursor })}`,
    ),
  get: (id: string) => get<PrivacyRequest>(`${desk}/requests/${id}`),
  create: (body: z.input<typeof DeskPrivacyRequestCreate>) => post<{ id: string }>(`${desk}/requests`, body),
  complete: (id: string, answer?: string) =>
    post<PrivacyRequest>(`${desk}/requests/${id}/complete`, answer ? { answer } : {}),
  refuse: (id: string, answer: string) => post<PrivacyRequest>(`${desk}/requests/${id}/refuse`, { answer }),
  preview: (id: string) => post<PrivacyRequest>(`${desk}/requests/${id}/preview`, {}),
  approve: (id: string) => post<PrivacyRequest>(`${desk}/requests/${id}/approve`, {}),
  downloadUrl: (id: string) => `${desk}/requests/${id}/export`,
  retentionRuns: () => get<{ items: RetentionRun[] }>(`${desk}/retention-runs${query({ limit: 3 })}`),
};
