// The portal's API, typed by its contracts (src/contracts/portal.ts).
import type { z } from 'zod';
import type {
  PortalCategory,
  PortalSessionView,
  PortalTicket,
  PortalTicketCreate,
  PortalTicketCreated,
  PortalTicketSummary,
} from '../../../src/contracts/portal';
import { api, get, post } from './client';

export type PortalSession = z.output<typeof PortalSessionView>;
export type PortalTicketSummary = z.output<typeof PortalTicketSummary>;
export type PortalTicketDetail = z.output<typeof PortalTicket>;
export type PortalCategory = z.output<typeof PortalCategory>;

const base = '/api/portal/v1';

export const portalApi = {
  session: () => get<PortalSession>(`${base}/session`),
  requestCode: (phone: string) => post(`${base}/codes`, { phone }),
  signIn: (phone: string, code: string) => post<PortalSession>(`${base}/session`, { phone, code }),
  signInByLink: (token: string) => post<PortalSession>(`${base}/link`, { token }),
  signOut: () => api('DELETE', `${base}/session`),
  categories: () => get<{ items: PortalCategory[] }>(`${base}/categories`),
  tickets: () => get<{ items: PortalTicketSummary[] }>(`${base}/tickets`),
  ticket: (id: string) => get<PortalTicketDetail>(`${base}/tickets/${id}`),
  submit: (body: z.input<typeof PortalTicketCreate>, idempotencyKey: string) =>
    post<z.output<typeof PortalTicketCreated>>(`${base}/tickets`, body, { 'idempotency-key': idempotencyKey }),
  reply: (id: string, body: string) => post(`${base}/tickets/${id}/messages`, { body }),
  confirm: (id: string, solved: boolean) => post(`${base}/tickets/${id}/confirm`, { solved }),
  attach: (id: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api<{ fileName: string }>('POST', `${base}/tickets/${id}/attachments`, form);
  },
};
