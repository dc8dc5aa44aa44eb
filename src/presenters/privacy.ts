import type { z } from 'zod';
import type { Actor } from '../core/auth/policy.js';
import { freeTextFor } from '../core/privacy/free-text.js';
import { privacyActionsFor } from '../core/privacy/requests.js';
import type { ConsentsView, PortalPrivacyRequest, PrivacyRequestView, RetentionRunView } from '../contracts/privacy.js';
import type {
  ConsentPurpose,
  ExportState,
  IdentityCheck,
  LegalHoldReason,
  PrivacyRequestKind,
  PrivacyRequestStatus,
} from '../core/privacy/requests.js';

// What each viewer sees of a personal-data request: the customer their own request's status, the
// deadline and the answer; the privacy desk also who recorded, previewed and approved it, the
// preview of a deletion and what the viewer may do now.

/** A stored request as the presenters read it. */
export type PrivacyRequestRow = {
  id: string;
  customerId: string;
  kind: PrivacyRequestKind;
  status: PrivacyRequestStatus;
  source: 'portal' | 'agent';
  identityCheck: IdentityCheck;
  details: string | null;
  consentPurpose: ConsentPurpose | null;
  receivedAt: Date;
  dueAt: Date;
  preview: Record<string, number> | null;
  previewedById: string | null;
  holdReasons: LegalHoldReason[] | null;
  holdUntil: Date | null;
  answer: string | null;
  completedAt: Date | null;
  exportState: ExportState | null;
  exportProgress: number;
  exportSize: number | null;
  exportExpiresAt: Date | null;
};
type Row = PrivacyRequestRow;

export type RetentionRunRow = {
  id: string;
  runDate: string;
  startedAt: Date;
  finishedAt: Date | null;
  counts: Record<string, number>;
  settings: Record<string, number>;
  error: string | null;
};
type Ref = { id: string; displayName: string } | null;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function common(r: Row) {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    consentPurpose: r.consentPurpose,
    receivedAt: r.receivedAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    holdReasons: r.holdReasons ?? [],
    holdUntil: iso(r.holdUntil),
    answer: r.answer,
    completedAt: iso(r.completedAt),
    export: {
      state: r.exportState,
      progress: r.exportProgress,
      size: r.exportSize,
      expiresAt: iso(r.exportExpiresAt),
    },
  };
}

export function presentPortalPrivacyRequest(r: Row): z.output<typeof PortalPrivacyRequest> {
  return common(r);
}

export function presentPrivacyRequest(
  facts: {
    row: Row;
    customerName: string;
    recordedBy: Ref;
    previewedBy: Ref;
    approvedBy: Ref;
    closedBy: Ref;
  },
  viewer: Actor,
  now: Date,
): z.output<typeof PrivacyRequestView> {
  const r = facts.row;
  const text = freeTextFor(viewer);
  return {
    ...common(r),
    customer: { id: r.customerId, name: text(facts.customerName) },
    source: r.source,
    identityCheck: r.identityCheck,
    details: r.details === null ? null : text(r.details),
    overdue: r.completedAt === null && r.status !== 'refused' && r.dueAt <= now,
    recordedBy: facts.recordedBy,
    preview: r.preview,
    previewedBy: facts.previewedBy,
    approvedBy: facts.approvedBy,
    closedBy: facts.closedBy,
    actions: privacyActionsFor(r, viewer.id),
  };
}

export function presentRetentionRun(r: RetentionRunRow): z.output<typeof RetentionRunView> {
  return {
    id: r.id,
    runDate: r.runDate,
    startedAt: r.startedAt.toISOString(),
    finishedAt: iso(r.finishedAt),
    counts: r.counts,
    settings: r.settings,
    error: r.error,
  };
}

export function presentConsents(c: {
  surveys: boolean;
  notices: boolean;
  marketing: boolean;
  history: { purpose: ConsentPurpose; granted: boolean; channel: string; at: Date }[];
}): z.output<typeof ConsentsView> {
  return {
    surveys: c.surveys,
    notices: c.notices,
    marketing: c.marketing,
    history: c.history.map((h) => ({
      purpose: h.purpose,
      granted: h.granted,
      channel: h.channel,
      at: h.at.toISOString(),
    })),
  };
}
