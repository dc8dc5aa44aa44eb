import type { Channel } from '../tickets/types.js';
import type { DisputeDecision, ReviewStatus } from './reviews.js';
import type { SampleStratum } from './sampling.js';
import type { ScorecardDefinition, ScoredItem } from './scorecard.js';

// The QA records as the use cases load them and the presenters shape them.

export type StaffName = { id: string; displayName: string } | null;
export type TicketRef = { id: string; number: string; subject: string; channel: Channel };
type Ref = StaffName;

export type ScorecardRecord = {
  id: string;
  version: number;
  name: string;
  status: 'draft' | 'published';
  definition: ScorecardDefinition;
  createdAt: Date;
  publishedAt: Date | null;
};

export type SampleRecord = {
  id: string;
  ticket: TicketRef;
  agent: Ref;
  stratum: SampleStratum;
  status: 'open' | 'reviewed';
  runDay: string;
  reviewId: string | null;
};

export type ReviewRecord = {
  id: string;
  ticket: TicketRef;
  agentId: string;
  agent: Ref;
  inspector: Ref;
  calibrationId: string | null;
  scorecard: ScorecardRecord;
  items: ScoredItem[];
  comment: string;
  weighted: number;
  bonus: number;
  score: number;
  finalScore: number;
  criticalFailed: boolean;
  passed: boolean;
  status: ReviewStatus;
  lapsed: boolean;
  submittedAt: Date;
  respondBy: Date | null;
  respondedAt: Date | null;
  disputeComment: string | null;
  decideBy: Date | null;
  decidedAt: Date | null;
  decidedBy: Ref;
  decision: DisputeDecision | null;
  decisionComment: string | null;
  coaching: { id: string; status: 'open' | 'coached' | 'done'; dueAt: Date } | null;
};

export type CoachingRecord = {
  id: string;
  reviewId: string;
  ticket: TicketRef;
  agentId: string;
  agent: Ref;
  coach: Ref;
  status: 'open' | 'coached' | 'done';
  dueAt: Date;
  score: number;
  note: string | null;
  coachedAt: Date | null;
  acknowledgedAt: Date | null;
};
