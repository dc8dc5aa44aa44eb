import { canApproveRemedy, canGrantRemedy, canManageIncidents, type Actor } from '../core/auth/policy.js';
import {
  isActiveIncident,
  nextIncidentStatuses,
  repairVerdict,
  type IncidentStatus,
  type RegionType,
  type RemedyKind,
  type RemedyStatus,
  type RemedyThresholds,
  type RepairLimitPolicy,
} from '../core/incidents/incidents.js';
import type { IncidentDetail } from '../contracts/incidents.js';

// What a viewer sees of an incident and may do with it: managers (network operations,
// supervisors) move and edit it and write updates; the front office links tickets and grants
// remedies; only supervisors decide remedies above the threshold, never their own.

type Ref = { id: string; displayName: string } | null;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export type IncidentFacts = {
  id: string;
  number: string;
  title: string;
  category: IncidentDetail['category'];
  level: string;
  areas: string[];
  locations: string[];
  services: string[];
  ticketCategories: string[];
  matchWords: string[];
  regionType: RegionType;
  status: IncidentStatus;
  team: { id: string; name: string } | null;
  publicMessage: string;
  agentScript: string;
  startedAt: Date;
  detectedAt: Date | null;
  expectedRepairAt: Date | null;
  restoredAt: Date | null;
  resolutionNote: string | null;
  lessons: string | null;
  reviewedAt: Date | null;
  notifyCustomers: boolean;
  createdAt: Date;
  createdBy: Ref;
  linkedTickets: number;
  openTickets: number;
  notices: { notified: number; delivered: number; contactedAfter: number };
  tickets: {
    id: string;
    number: string;
    subject: string;
    status: string;
    priority: number;
    customerId: string;
    customerName: string | null;
    createdAt: Date;
  }[];
  updates: { id: string; body: string; recipients: number; by: Ref; createdAt: Date }[];
  remedies: {
    id: string;
    customerId: string;
    customerName: string | null;
    ticketId: string | null;
    kind: RemedyKind;
    amount: number;
    unit: string;
    status: RemedyStatus;
    note: string;
    grantedById: string;
    grantedBy: Ref;
    decidedBy: Ref;
    createdAt: Date;
  }[];
  timeline: { id: number; kind: string; data: Record<string, unknown>; by: Ref; createdAt: Date }[];
};

export function presentIncidentDetail(
  i: IncidentFacts,
  viewer: Actor,
  ctx: {
    networkOpsTeamId: string | null;
    now: Date;
    repairLimits: RepairLimitPolicy;
    remedyThresholds: RemedyThresholds;
  },
): IncidentDetail {
  const manages = canManageIncidents(viewer, ctx.networkOpsTeamId);
  const active = isActiveIncident(i.status);
  const abilities: IncidentDetail['abilities'] = [];
  if (manages && active) abilities.push('edit', 'update');
  if (manages && nextIncidentStatuses(i.status).some((s) => s !== 'reviewed')) abilities.push('move');
  if (active && viewer.role !== 'qa') abilities.push('link');
  if (canGrantRemedy(viewer, ctx.networkOpsTeamId)) abilities.push('remedy');
  if (manages && i.status === 'resolved') abilities.push('review');
  // Remedies for billing and the review report.
  if (manages) abilities.push('export');
  const { createdAt: created, detectedAt, restoredAt, startedAt } = i;
  return {
    id: i.id,
    number: i.number,
    title: i.title,
    category: i.category,
    level: i.level,
    areas: i.areas,
    status: i.status,
    startedAt: startedAt.toISOString(),
    expectedRepairAt: iso(i.expectedRepairAt),
    linkedTickets: i.linkedTickets,
    openTickets: i.openTickets,
    locations: i.locations,
    services: i.services,
    ticketCategories: i.ticketCategories,
    matchWords: i.matchWords,
    regionType: i.regionType,
    team: i.team,
    publicMessage: i.publicMessage,
    agentScript: i.agentScript,
    detectedAt: iso(detectedAt),
    restoredAt: iso(restoredAt),
    resolutionNote: i.resolutionNote,
    lessons: i.lessons,
    reviewedAt: iso(i.reviewedAt),
    notifyCustomers: i.notifyCustomers,
    createdAt: created.toISOString(),
    createdBy: i.createdBy,
    repair: repairVerdict(startedAt, restoredAt, ctx.now, i.regionType, ctx.repairLimits),
    notices: i.notices,
    tickets: i.tickets.map((t) => ({ ...t, createdAt: t.createdAt.toISOString() })),
    updates: i.updates.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() })),
    remedies: i.remedies.map(({ grantedById, ...r }) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      canDecide: r.status === 'pending_approval' && canApproveRemedy(viewer) && grantedById !== viewer.id,
    })),
    remedyApprovalAbove: ctx.remedyThresholds,
    timeline: i.timeline.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
    abilities,
    nextStatuses: manages ? nextIncidentStatuses(i.status).filter((s) => s !== 'reviewed') : [],
    review: {
      // Time to detect: from the outage's start (for a candidate, its first ticket) to opening the incident.
      timeToDetectMinutes: Math.max(0, Math.round((created.getTime() - startedAt.getTime()) / 60_000)),
      timeToRestoreHours: restoredAt
        ? Math.round(((restoredAt.getTime() - startedAt.getTime()) / 3_600_000) * 100) / 100
        : null,
    },
  };
}
