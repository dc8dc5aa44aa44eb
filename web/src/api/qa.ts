// Quality inspection: samples, reviews, disputes, coaching, overview (src/contracts/qa-reviews.ts).
import type { z } from 'zod';
import type {
  CoachingView,
  DecisionBody,
  QualityOverview,
  ReviewBody,
  ReviewSummary,
  ReviewView,
  SampleDetail,
  SampleView,
} from '../../../src/contracts/qa-reviews';
import { get, post, query } from './client';

const base = '/api/v1/qa';

export type QaSample = z.infer<typeof SampleView>;
export type QaSampleDetail = z.infer<typeof SampleDetail>;
export type QaReview = z.infer<typeof ReviewView>;
export type QaReviewSummary = z.infer<typeof ReviewSummary>;
export type QaCoaching = z.infer<typeof CoachingView>;
export type QaOverview = z.infer<typeof QualityOverview>;

export const qaApi = {
  samples: (status: 'open' | 'reviewed', cursor?: string) =>
    get<{ items: QaSample[]; nextCursor: string | null }>(`${base}/samples${query({ status, limit: 50, cursor })}`),
  sample: (id: string) => get<QaSampleDetail>(`${base}/samples/${id}`),
  review: (sampleId: string, body: z.input<typeof ReviewBody>) =>
    post<QaReview>(`${base}/samples/${sampleId}/review`, body),
  myReviews: (cursor?: string) =>
    get<{ items: QaReviewSummary[]; nextCursor: string | null }>(`${base}/reviews/mine${query({ limit: 50, cursor })}`),
  get: (id: string) => get<QaReview>(`${base}/reviews/${id}`),
  acknowledge: (id: string) => post<QaReview>(`${base}/reviews/${id}/acknowledge`, {}),
  dispute: (id: string, comment: string) => post<QaReview>(`${base}/reviews/${id}/dispute`, { comment }),
  decide: (id: string, body: z.input<typeof DecisionBody>) => post<QaReview>(`${base}/reviews/${id}/decision`, body),
  overview: () => get<QaOverview>(`${base}/overview`),
  myCoaching: () => get<{ items: QaCoaching[] }>(`${base}/coaching/mine`),
  recordCoaching: (id: string, note: string) => post<QaCoaching>(`${base}/coaching/${id}/record`, { note }),
  acknowledgeCoaching: (id: string) => post<QaCoaching>(`${base}/coaching/${id}/acknowledge`, {}),
};
