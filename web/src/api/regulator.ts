// Regulator referral cases (src/contracts/regulator.ts).
import type { z } from 'zod';
import type {
  EvidencePackBody,
  FirstContactBody,
  ReferralCreate,
  ReferralDetail,
  ReferralSummary,
  RegulatorSource,
  ReplyBody,
} from '../../../src/contracts/regulator';
import { get, post, query } from './client';

const base = '/api/v1/regulator';

export type Referral = ReferralDetail;
export type ReferralRow = z.infer<typeof ReferralSummary>;
export type Source = z.infer<typeof RegulatorSource>;

export const regulatorApi = {
  sources: () => get<{ items: Source[] }>(`${base}/sources`),
  list: (cursor?: string) =>
    get<{ items: ReferralRow[]; nextCursor: string | null }>(`${base}/referrals${query({ limit: 25, cursor })}`),
  get: (id: string) => get<Referral>(`${base}/referrals/${id}`),
  create: (body: z.input<typeof ReferralCreate>) => post<Referral>(`${base}/referrals`, body),
  firstContact: (id: string, body: z.input<typeof FirstContactBody>) =>
    post<Referral>(`${base}/referrals/${id}/first-contact`, body),
  reply: (id: string, body: z.input<typeof ReplyBody>) => post<Referral>(`${base}/referrals/${id}/reply`, body),
  generatePack: (id: string, body: z.input<typeof EvidencePackBody>) =>
    post<Referral>(`${base}/referrals/${id}/evidence-packs`, body),
  packUrl: (packId: string) => `${base}/evidence-packs/${packId}`,
};
