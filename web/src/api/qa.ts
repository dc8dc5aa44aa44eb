// Quality inspection: samples, reviews, disputes, coaching, overview (src/contracts/qa-reviews.ts).
import type { z } from 'zod';
import type {
  CalibrationBody,
  CalibrationList,
  CalibrationView,
  CoachingView,
  DecisionBody,
  QualityOverview,
  RemedialSettingsBody,
  ReviewBody,
  ReviewSummary,
  ReviewView,
  SampleDetail,
  SampleView,
  ScorecardDraftBody,
  ScorecardList,
  ScorecardVersion,
} from '../../../src/contracts/qa-reviews';
import { get, post, put, query } from './client';

const base = '/api/v1/qa';

export type QaSample = z.infer<typeof SampleView>;
export type QaSampleDetail = z.infer<typeof SampleDetail>;
export type QaReview = z.infer<typeof ReviewView>;
export type QaReviewSummary = z.infer<typeof ReviewSummary>;
export type QaCoaching = z.infer<typeof CoachingView>;
export type QaOverview = z.infer<typeof QualityOverview>;
export type QaScorecard = z.infer<typeof ScorecardVersion>;
export type QaScorecardDraft = z.input<typeof ScorecardDraftBody>;
export type QaRemedialSettings = z.infer<typeof RemedialSettingsBody>;
export type QaCalibration = z.infer<typeof CalibrationView>;
export type QaCalibrationSummary = z.infer<typeof CalibrationList>['items'][number];

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

  scorecards: () => get<z.infer<typeof ScorecardList>>(`${base}/scorecards`),
  createDraft: (body: QaScorecardDraft) => post<QaScorecard>(`${base}/scorecards`, body),
  updateDraft: (id: string, body: QaScorecardDraft) => put<QaScorecard>(`${base}/scorecards/${id}`, body),
  publish: (id: string) => post<QaScorecard>(`${base}/scorecards/${id}/publish`, {}),

  remedial: () => get<QaRemedialSettings>(`${base}/settings/remedial-training`),
  saveRemedial: (body: QaRemedialSettings) => put<QaRemedialSettings>(`${base}/settings/remedial-training`, body),

  calibrations: () => get<{ items: QaCalibrationSummary[] }>(`${base}/calibrations`),
  calibration: (id: string) => get<QaCalibration>(`${base}/calibrations/${id}`),
  createCalibration: (body: z.input<typeof CalibrationBody>) => post<QaCalibration>(`${base}/calibrations`, body),
  scoreCalibration: (id: string, body: z.input<typeof ReviewBody>) =>
    post<QaCalibration>(`${base}/calibrations/${id}/scores`, body),
  closeCalibration: (id: string) => post<QaCalibration>(`${base}/calibrations/${id}/close`, {}),
};
