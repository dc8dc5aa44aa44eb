import { DateTime } from 'luxon';
import { AppError } from '../errors/app-error.js';
import { CONSENT_DEFAULTS } from '../privacy/requests.js';
import type { Priority } from '../tickets/types.js';

// Network incidents (issue 17, 网络故障 / 重大故障): one outage that many complaints are about.
// The rules here are pure: the model's vocabulary, the legal status moves, candidate detection
// from recent tickets, which incident a new ticket belongs to, the fault-repair limit (电信条例
// Art. 33), quiet hours for proactive notices, and when a remedy needs a second person's approval.

/** Fault categories (domain §10): network performance, service/business, device, security. */
export const INCIDENT_CATEGORIES = ['network_performance', 'service', 'device', 'security'] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

export const INCIDENT_STATUSES = [
  'investigating',
  'identified',
  'repairing',
  'monitoring',
  'resolved',
  'reviewed',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** While active an incident links new tickets, shows its banner and sends notices. */
export const ACTIVE_INCIDENT_STATUSES = [
  'investigating',
  'identified',
  'repairing',
  'monitoring',
] as const satisfies readonly IncidentStatus[];
export const isActiveIncident = (s: IncidentStatus): boolean =>
  (ACTIVE_INCIDENT_STATUSES as readonly IncidentStatus[]).includes(s);

/**
 * Legal moves: forward through the active stages (a stage may be skipped), back from monitoring
 * to repairing when the fix does not hold, to resolved from any active stage, and from resolved
 * only to reviewed (once the review is written). Reviewed is final.
 */
const MOVES: Record<IncidentStatus, readonly IncidentStatus[]> = {
  investigating: ['identified', 'repairing', 'monitoring', 'resolved'],
  identified: ['repairing', 'monitoring', 'resolved'],
  repairing: ['monitoring', 'resolved'],
  monitoring: ['repairing', 'resolved'],
  resolved: ['reviewed'],
  reviewed: [],
};

export const nextIncidentStatuses = (from: IncidentStatus): readonly IncidentStatus[] => MOVES[from];

/** Throws `incident.invalid_transition` unless `from → to` is a legal move. */
export function assertIncidentMove(from: IncidentStatus, to: IncidentStatus): void {
  if (!MOVES[from].includes(to))
    throw new AppError('incident.invalid_transition', `An incident cannot move from ${from} to ${to}`, {
      from,
      to,
      allowed: MOVES[from],
    });
}

/** A level (I–IV by default) is data: its names and the priority every linked ticket gets at least. */
export type IncidentLevel = { code: string; nameZh: string; nameEn: string; rank: number; priority: Priority };
export const DEFAULT_INCIDENT_LEVELS: readonly IncidentLevel[] = [
  { code: 'I', nameZh: '特别重大', nameEn: 'Critical', rank: 40, priority: 1 },
  { code: 'II', nameZh: '重大', nameEn: 'Major', rank: 30, priority: 1 },
  { code: 'III', nameZh: '较大', nameEn: 'Significant', rank: 20, priority: 2 },
  { code: 'IV', nameZh: '一般', nameEn: 'Minor', rank: 10, priority: 2 },
];

/**
 * The ticket categories (codes, matched anywhere on the ticket's category path) an incident of
 * each category covers by default; an incident may name its own.
 */
export const DEFAULT_TICKET_CATEGORIES: Record<IncidentCategory, readonly string[]> = {
  network_performance: ['fault-network', 'complaint-network'],
  service: ['fault-network', 'fault-broadband-down', 'complaint-network'],
  device: ['fault-terminal'],
  security: ['complaint-network'],
};

/** The incident category a candidate of this ticket category proposes (first whose defaults cover it). */
export function incidentCategoryFor(categoryPath: readonly string[]): IncidentCategory {
  return (
    INCIDENT_CATEGORIES.find((c) => DEFAULT_TICKET_CATEGORIES[c].some((code) => categoryPath.includes(code))) ??
    'service'
  );
}

// ---------------------------------------------------------------- detection

export type DetectionSettings = { threshold: number; windowMinutes: number };
export const DEFAULT_DETECTION: DetectionSettings = { threshold: 10, windowMinutes: 30 };

/** A new fault ticket or complaint as detection sees it. */
export type Signal = { categoryCode: string; region: string; at: Date };
export type DetectedGroup = { categoryCode: string; region: string; count: number; firstAt: Date; lastAt: Date };

/**
 * Groups of `threshold` or more signals of one category in one area within the window ending at
 * `now`: a signal counts when `now - window < at <= now` (one exactly a window old has left it).
 */
export function detectCandidates(signals: readonly Signal[], now: Date, s: DetectionSettings): DetectedGroup[] {
  const from = now.getTime() - s.windowMinutes * 60_000;
  const groups = new Map<string, DetectedGroup>();
  for (const sig of signals) {
    const t = sig.at.getTime();
    if (t <= from || t > now.getTime() || !sig.region) continue;
    const key = `${sig.categoryCode}\u0000${sig.region}`;
    const g = groups.get(key);
    if (!g)
      groups.set(key, {
        categoryCode: sig.categoryCode,
        region: sig.region,
        count: 1,
        firstAt: sig.at,
        lastAt: sig.at,
      });
    else {
      g.count++;
      if (sig.at < g.firstAt) g.firstAt = sig.at;
      if (sig.at > g.lastAt) g.lastAt = sig.at;
    }
  }
  return [...groups.values()]
    .filter((g) => g.count >= s.threshold)
    .sort((a, b) => b.count - a.count || a.region.localeCompare(b.region));
}

/**
 * Whether a group needs no candidate: an active incident already covers its area and category
 * (`categoryPath`: the group's category code and its ancestors'), or a person decided on a candidate
 * of the same category and area within the last window (`decidedSince`: keys `code|region`).
 */
export function groupNeedsCandidate(
  group: Pick<DetectedGroup, 'categoryCode' | 'region'>,
  categoryPath: readonly string[],
  incidents: readonly Pick<LinkableIncident, 'status' | 'areas' | 'ticketCategories'>[],
  decidedSince: ReadonlySet<string>,
): boolean {
  if (decidedSince.has(`${group.categoryCode}|${group.region}`)) return false;
  return !incidents.some(
    (i) =>
      isActiveIncident(i.status) &&
      i.areas.includes(group.region) &&
      i.ticketCategories.some((c) => categoryPath.includes(c)),
  );
}

// ---------------------------------------------------------------- linking

export type LinkableIncident = {
  id: string;
  status: IncidentStatus;
  /** Regions or districts (the customer's registered region is matched against them). */
  areas: readonly string[];
  ticketCategories: readonly string[];
  /** Words (jieba-segmented, lower case); empty: area and category are enough. */
  matchWords: readonly string[];
  priority: Priority;
  startedAt: Date;
};

export type LinkFacts = {
  region: string | null;
  /** The ticket's category code and its ancestors'. */
  categoryPath: readonly string[];
  /** The ticket's words (jieba). */
  words: readonly string[];
};

/**
 * The incident a new ticket belongs to: an active one whose area holds the customer's region and
 * whose categories cover the ticket's category, and, when the incident names matching words, whose
 * text has one of them. Several match: the most urgent, then the most recently started.
 */
export function incidentForTicket(t: LinkFacts, incidents: readonly LinkableIncident[]): LinkableIncident | null {
  if (!t.region || t.categoryPath.length === 0) return null;
  const words = new Set(t.words);
  const matches = incidents.filter(
    (i) =>
      isActiveIncident(i.status) &&
      i.areas.includes(t.region!) &&
      i.ticketCategories.some((c) => t.categoryPath.includes(c)) &&
      (i.matchWords.length === 0 || i.matchWords.some((w) => words.has(w))),
  );
  matches.sort((a, b) => a.priority - b.priority || b.startedAt.getTime() - a.startedAt.getTime());
  return matches[0] ?? null;
}

/** The banner's incident for a caller from `region` (any category): the active ones of that area. */
export const incidentsForArea = <I extends Pick<LinkableIncident, 'status' | 'areas'>>(
  region: string | null,
  incidents: readonly I[],
): I[] => (region ? incidents.filter((i) => isActiveIncident(i.status) && i.areas.includes(region)) : []);

// ---------------------------------------------------------------- fault-repair limit

export const REGION_TYPES = ['city', 'rural'] as const;
export type RegionType = (typeof REGION_TYPES)[number];
/** 电信条例 Art. 33: 48 hours in cities, 72 hours in rural areas. */
export type RepairLimitPolicy = Record<RegionType, number>;
export const DEFAULT_REPAIR_LIMITS: RepairLimitPolicy = { city: 48, rural: 72 };

export type RepairVerdict = {
  limitHours: number;
  /** Hours from the start to the restoration (or to `now` while not restored). */
  elapsedHours: number;
  overLimit: boolean;
  /** Over the limit: the monthly fee for the outage is waived for the affected customers. */
  proposeFeeWaiver: boolean;
};

export function repairVerdict(
  startedAt: Date,
  restoredAt: Date | null,
  now: Date,
  regionType: RegionType,
  policy: RepairLimitPolicy = DEFAULT_REPAIR_LIMITS,
): RepairVerdict {
  const end = restoredAt ?? now;
  const elapsedHours = Math.max(0, (end.getTime() - startedAt.getTime()) / 3_600_000);
  const limitHours = policy[regionType];
  const overLimit = elapsedHours > limitHours;
  return { limitHours, elapsedHours: Math.round(elapsedHours * 100) / 100, overLimit, proposeFeeWaiver: overLimit };
}

// ---------------------------------------------------------------- proactive notices

export type QuietHours = { start: string; end: string; timeZone: string };

/**
 * The outbound messages that keep the quiet hours: the proactive notices (an outage notice, the
 * restoration notice), whenever they fall due — at enqueue, after a failed send's backoff, or at
 * the tail of a backlog running late. Replies and updates on a customer's own ticket do not.
 */
export const QUIET_HOURS_KINDS = ['incident_notice'] as const;
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '22:00', end: '08:00', timeZone: 'Asia/Shanghai' };

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * Null when a notice may go out at `now`; otherwise the first moment after the quiet hours
 * (start inclusive, end exclusive; a window over midnight such as 22:00–08:00 is allowed).
 */
export function quietUntil(now: Date, q: QuietHours): Date | null {
  const local = DateTime.fromJSDate(now, { zone: q.timeZone });
  const m = local.hour * 60 + local.minute;
  const start = minutesOf(q.start);
  const end = minutesOf(q.end);
  if (start === end) return null;
  const quiet = start < end ? m >= start && m < end : m >= start || m < end;
  if (!quiet) return null;
  let until = local.startOf('day').plus({ minutes: end });
  if (until <= local) until = until.plus({ days: 1 });
  return until.toJSDate();
}

/**
 * When each of `count` messages queued at `now` may leave so that at most `perMinute` go out
 * per minute: the i-th waits `floor(i / perMinute)` minutes.
 */
export const spreadSendTimes = (count: number, now: Date, perMinute: number): Date[] =>
  Array.from({ length: count }, (_, i) => new Date(now.getTime() + Math.floor(i / Math.max(1, perMinute)) * 60_000));

/**
 * Send times of `count` proactive notices (or restoration notices): from `from`, at most
 * `perMinute` a minute, and none inside the quiet hours — a minute that falls in them moves to the
 * first moment after. Returns the times and the next free minute (where the next batch continues).
 */
export function noticeSendTimes(
  count: number,
  from: Date,
  perMinute: number,
  q: QuietHours,
): { times: Date[]; nextSlot: Date } {
  const per = Math.max(1, perMinute);
  const times: Date[] = [];
  let minute = from;
  for (let i = 0; i < count; i += per) {
    minute = quietUntil(minute, q) ?? minute;
    for (let k = i; k < Math.min(count, i + per); k++) times.push(minute);
    minute = new Date(minute.getTime() + 60_000);
  }
  return { times, nextSlot: count === 0 ? from : minute };
}

/**
 * Whether a customer of the area gets a proactive notice: a number to send it to, the number not on
 * the opt-out list, and the consent to service notices in force (`consent`: the latest record,
 * null when none — the default then applies).
 */
export const mayNotify = (c: { msisdn: string | null; optedOut: boolean; consent: boolean | null }): boolean =>
  c.msisdn !== null && !c.optedOut && (c.consent ?? CONSENT_DEFAULTS.notices);

/** The text of the restoration notice for customers told of the outage before they called. */
export const restoredNoticeText = (i: { number: string; areas: readonly string[]; resolutionNote: string | null }) =>
  `【故障已恢复 ${i.number}】${i.areas.join('、')}：${i.resolutionNote ?? '网络服务已恢复'}感谢您的耐心等待。`;

/** The text of the proactive notice (a service message: no marketing). */
export function noticeText(
  i: { areas: readonly string[]; publicMessage: string; expectedRepairAt: Date | null },
  timeZone: string,
): string {
  const eta = i.expectedRepairAt
    ? `预计 ${DateTime.fromJSDate(i.expectedRepairAt, { zone: timeZone }).toFormat('M月d日 HH:mm')} 前恢复。`
    : '';
  return `【网络故障通知】${i.areas.join('、')}：${i.publicMessage}${eta}给您带来不便，敬请谅解。`;
}

// ---------------------------------------------------------------- remedies

export const REMEDY_KINDS = ['data_pack', 'fee_waiver'] as const;
export type RemedyKind = (typeof REMEDY_KINDS)[number];
/** data packs in MB, fee waivers in fen (0.01 CNY). */
export const REMEDY_UNITS: Record<RemedyKind, 'MB' | 'fen'> = { data_pack: 'MB', fee_waiver: 'fen' };
export type RemedyThresholds = Record<RemedyKind, number>;
/** Above these a second person approves: 10 GB of data, 50 CNY of fees. */
export const DEFAULT_REMEDY_THRESHOLDS: RemedyThresholds = { data_pack: 10_240, fee_waiver: 5_000 };

export type RemedyStatus = 'approved' | 'pending_approval' | 'rejected';

/** A grant at or below the threshold is approved at once; above it waits for a second person. */
export const remedyStatusOnGrant = (kind: RemedyKind, amount: number, t: RemedyThresholds): RemedyStatus =>
  amount > t[kind] ? 'pending_approval' : 'approved';

/** Four eyes: the approver is not the person who granted it, and the remedy still waits. */
export function assertCanDecideRemedy(remedy: { status: RemedyStatus; grantedById: string }, deciderId: string): void {
  if (remedy.status !== 'pending_approval')
    throw new AppError('remedy.not_pending', 'This remedy is not waiting for approval');
  if (remedy.grantedById === deciderId)
    throw new AppError(
      'remedy.four_eyes',
      'A remedy above the threshold is approved by someone other than who granted it',
    );
}

// ---------------------------------------------------------------- settings

export type IncidentSettings = {
  detection: DetectionSettings;
  repairLimits: RepairLimitPolicy;
  /** Quiet hours of proactive notices, in the installation's time zone. */
  quietHours: { start: string; end: string };
  /** Customer messages (updates, notices) per minute and incident. */
  messagesPerMinute: number;
  remedyThresholds: RemedyThresholds;
};
export const DEFAULT_INCIDENT_SETTINGS: IncidentSettings = {
  detection: DEFAULT_DETECTION,
  repairLimits: DEFAULT_REPAIR_LIMITS,
  quietHours: { start: DEFAULT_QUIET_HOURS.start, end: DEFAULT_QUIET_HOURS.end },
  messagesPerMinute: 600,
  remedyThresholds: DEFAULT_REMEDY_THRESHOLDS,
};
/** The network operations team (seeded by the demo; an installation creates a team with this code). */
export const NETWORK_OPS_TEAM_CODE = 'network-ops';
