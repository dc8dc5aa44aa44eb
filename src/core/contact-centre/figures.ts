import { DateTime } from 'luxon';

// Contact-centre figures (issue 20; domain §1, §7): calls and chats offered, answered and
// abandoned per 15-minute interval, answer rate (at peak hours against the ≥ 95 % target),
// average speed of answer, service level, chat first response and bot containment. Pure functions
// over plain data; the use cases load a call or a conversation, compute what it contributes here,
// and add the difference to the interval roll-up (so a repeated or late event never counts twice).

export const INTERVAL_MINUTES = 15;

export const CONTACT_MEDIA = ['voice', 'chat'] as const;
export type ContactMedia = (typeof CONTACT_MEDIA)[number];

/** What one contact (a call or a conversation) adds to its interval; every measure is a sum. */
export const CC_MEASURES = [
  /** Reached the agents' queue (voice: offered by the ACD; chat: handed off to a person). */
  'offered',
  /** Taken by a person. */
  'answered',
  /** Left while waiting for a person (short abandons included; they are also counted below). */
  'abandoned',
  /** Abandoned within the short-abandon threshold (left out of the answer rate's base). */
  'short_abandoned',
  /** Answered within the service-level threshold. */
  'answered_in_sl',
  /** Total speed of answer of the answered contacts (ms). */
  'answer_wait_ms',
  /** Total wait of the abandoned contacts (ms). */
  'abandon_wait_ms',
  /** Chat: conversations started (with the bot or a person). */
  'conversations',
  /** Chat: conversations ended. */
  'ended',
  /** Chat: conversations ended without a person (bot containment). */
  'contained',
  /** Chat: conversations with a first human response, its total time (ms) and how many within the target. */
  'first_responses',
  'first_response_ms',
  'first_response_in_target',
] as const;
export type CcMeasure = (typeof CC_MEASURES)[number];
export type CcMeasures = Record<CcMeasure, number>;

export const emptyCcMeasures = (): CcMeasures => Object.fromEntries(CC_MEASURES.map((m) => [m, 0])) as CcMeasures;

/** A local time range of peak hours, "HH:MM" (from inclusive, to exclusive). */
export type PeakRange = { from: string; to: string };

export type ContactCentreSettings = {
  /** An answer within this many seconds counts toward the service level. */
  serviceLevelSeconds: number;
  /** Abandons within this many seconds are short abandons, left out of the answer rate (0: none). */
  shortAbandonSeconds: number;
  /** Peak hours (local time) for the peak-hour answer rate. */
  peakHours: PeakRange[];
  /** Chat: the first human response target, in seconds. */
  chatFirstResponseSeconds: number;
};

export const DEFAULT_CONTACT_CENTRE_SETTINGS: ContactCentreSettings = {
  // The handbooks' "general service response ≤ 30 s"; many centres use 20 s (80/20).
  serviceLevelSeconds: 30,
  // Industry practice: a caller who hangs up within 5 s never really waited.
  shortAbandonSeconds: 5,
  // domain.md names no hours; a Chinese operator hotline's traffic peaks are the morning and the
  // afternoon of a working day.
  peakHours: [
    { from: '09:00', to: '12:00' },
    { from: '14:00', to: '17:00' },
  ],
  // domain §1: human online chat response ≤ 30 s.
  chatFirstResponseSeconds: 30,
};

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Problems with settings (empty when they are usable). */
export function contactCentreSettingsProblems(s: ContactCentreSettings): string[] {
  const problems: string[] = [];
  for (const r of s.peakHours) {
    if (!HHMM.test(r.from) || !HHMM.test(r.to)) problems.push(`peak hours ${r.from}–${r.to} are not HH:MM`);
    else if (minutesOf(r.from) >= minutesOf(r.to)) problems.push(`peak hours ${r.from}–${r.to} end before they start`);
  }
  if (s.serviceLevelSeconds <= 0) problems.push('the service-level threshold must be above 0 seconds');
  if (s.shortAbandonSeconds < 0) problems.push('the short-abandon threshold cannot be negative');
  if (s.chatFirstResponseSeconds <= 0) problems.push('the chat first-response target must be above 0 seconds');
  return problems;
}

/** The local 15-minute interval an instant falls in: its start, local day and minute of the day. */
export type Interval = { start: Date; day: string; minute: number };

export function intervalOf(at: Date, timeZone: string): Interval {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  // Every zone's offset is a whole number of 15 minutes, so stepping back the local minutes past
  // the last quarter lands on a local quarter boundary, also on days when clocks change.
  const back = ((local.minute % INTERVAL_MINUTES) * 60 + local.second) * 1000 + local.millisecond;
  const start = new Date(at.getTime() - back);
  const s = DateTime.fromJSDate(start, { zone: timeZone });
  return { start, day: s.toISODate()!, minute: s.hour * 60 + s.minute };
}

/** Whether an interval starting at local `minute` of the day lies in the peak hours. */
export function isPeak(minute: number, peakHours: readonly PeakRange[]): boolean {
  return peakHours.some((r) => minute >= minutesOf(r.from) && minute < minutesOf(r.to));
}

/** A call as the CTI events left it: each time is set by the first event of its kind. */
export type CallTimes = {
  startedAt: Date | null;
  offeredAt: Date | null;
  queuedAt: Date | null;
  answeredAt: Date | null;
  abandonedAt: Date | null;
  endedAt: Date | null;
  /** The wait the ACD reported with the answer or the abandon (ms), preferred over our clocks. */
  waitMs: number | null;
  queue: string;
};

/** What one contact contributes: its interval, queue and measures. */
export type ContactFacts = { media: ContactMedia; queue: string; interval: Interval; cells: CcMeasures };

const earliest = (...ds: (Date | null)[]): Date | null =>
  ds.reduce<Date | null>((a, d) => (d && (!a || d < a) ? d : a), null);
const waitBetween = (from: Date, to: Date) => Math.max(0, to.getTime() - from.getTime());

/**
 * What a call adds to the figures, or null when it never reached the agents' queue. A call counts
 * in the interval it was offered (the first of `offered` and `queued`; for systems that send only
 * started/answered/ended, an answered call counts as offered when it started). Answered: an answer
 * before any abandon. Abandoned: an `abandoned` event, or an end without an answer after the call
 * was offered. Speed of answer and abandon wait: the ACD's reported wait, else the time from offer.
 * A call that only started and ended (never offered, never answered) may have ended in the IVR, so
 * it does not count.
 */
export function callFacts(call: CallTimes, s: ContactCentreSettings, timeZone: string): ContactFacts | null {
  const acdOffer = earliest(call.offeredAt, call.queuedAt);
  const offeredAt = acdOffer ?? (call.answeredAt ? earliest(call.startedAt, call.answeredAt) : null);
  if (!offeredAt) return null;
  const cells = emptyCcMeasures();
  cells.offered = 1;
  const leftAt = call.abandonedAt ?? (acdOffer && !call.answeredAt ? call.endedAt : null);
  if (call.answeredAt && (!leftAt || call.answeredAt <= leftAt)) {
    const wait = call.waitMs ?? waitBetween(offeredAt, call.answeredAt);
    cells.answered = 1;
    cells.answer_wait_ms = wait;
    cells.answered_in_sl = wait <= s.serviceLevelSeconds * 1000 ? 1 : 0;
  } else if (leftAt) {
    const wait = call.waitMs ?? waitBetween(offeredAt, leftAt);
    cells.abandoned = 1;
    cells.abandon_wait_ms = wait;
    cells.short_abandoned = wait < s.shortAbandonSeconds * 1000 ? 1 : 0;
  }
  return { media: 'voice', queue: call.queue, interval: intervalOf(offeredAt, timeZone), cells };
}

/** A chat conversation's clock times (chat_conversations). */
export type ConversationTimes = {
  createdAt: Date;
  queuedAt: Date | null;
  acceptedAt: Date | null;
  firstHumanResponseAt: Date | null;
  endedAt: Date | null;
  outcome: string | null;
  teamId: string | null;
};

/**
 * What a chat conversation adds, counted in the interval it started. Offered: handed off to a
 * person (queued); answered: accepted by an agent; abandoned: ended while still queued. Contained:
 * ended without ever being handed to a person and without leaving a message or a ticket for one.
 * First human response: from the hand-off to the agent's first message.
 */
export function conversationFacts(c: ConversationTimes, s: ContactCentreSettings, timeZone: string): ContactFacts {
  const cells = emptyCcMeasures();
  cells.conversations = 1;
  if (c.queuedAt) {
    cells.offered = 1;
    if (c.acceptedAt) {
      const wait = waitBetween(c.queuedAt, c.acceptedAt);
      cells.answered = 1;
      cells.answer_wait_ms = wait;
      cells.answered_in_sl = wait <= s.serviceLevelSeconds * 1000 ? 1 : 0;
    } else if (c.endedAt) {
      const wait = waitBetween(c.queuedAt, c.endedAt);
      cells.abandoned = 1;
      cells.abandon_wait_ms = wait;
      cells.short_abandoned = wait < s.shortAbandonSeconds * 1000 ? 1 : 0;
    }
    if (c.firstHumanResponseAt) {
      const ms = waitBetween(c.queuedAt, c.firstHumanResponseAt);
      cells.first_responses = 1;
      cells.first_response_ms = ms;
      cells.first_response_in_target = ms <= s.chatFirstResponseSeconds * 1000 ? 1 : 0;
    }
  }
  if (c.endedAt) {
    cells.ended = 1;
    const reachedPerson = c.queuedAt || c.acceptedAt || c.outcome === 'ticket' || c.outcome === 'left_message';
    cells.contained = reachedPerson ? 0 : 1;
  }
  return { media: 'chat', queue: c.teamId ?? '', interval: intervalOf(c.createdAt, timeZone), cells };
}

/** A roll-up row: one interval, medium and queue. */
export type IntervalKey = { start: Date; media: ContactMedia; queue: string; day: string; minute: number };
export type IntervalDelta = { key: IntervalKey; cells: CcMeasures };

const keyOf = (f: ContactFacts): IntervalKey => ({
  start: f.interval.start,
  media: f.media,
  queue: f.queue,
  day: f.interval.day,
  minute: f.interval.minute,
});
const sameKey = (a: IntervalKey, b: IntervalKey) =>
  a.start.getTime() === b.start.getTime() && a.media === b.media && a.queue === b.queue;
const isZero = (c: CcMeasures) => CC_MEASURES.every((m) => c[m] === 0);

/**
 * The changes to the roll-up when a contact's facts go from `before` to `after` (either may be
 * absent): nothing when they are equal, so a repeated event changes nothing; the old interval
 * loses and the new one gains when a late event moves the contact to another interval.
 */
export function factsDelta(before: ContactFacts | null, after: ContactFacts | null): IntervalDelta[] {
  if (before && after && sameKey(keyOf(before), keyOf(after))) {
    const cells = emptyCcMeasures();
    for (const m of CC_MEASURES) cells[m] = after.cells[m] - before.cells[m];
    return isZero(cells) ? [] : [{ key: keyOf(after), cells }];
  }
  const out: IntervalDelta[] = [];
  if (before) {
    const cells = emptyCcMeasures();
    for (const m of CC_MEASURES) cells[m] = -before.cells[m];
    if (!isZero(cells)) out.push({ key: keyOf(before), cells });
  }
  if (after && !isZero(after.cells)) out.push({ key: keyOf(after), cells: { ...after.cells } });
  return out;
}

/** Sums measures. */
export function sumCc(rows: readonly Partial<CcMeasures>[]): CcMeasures {
  const total = emptyCcMeasures();
  for (const r of rows) for (const m of CC_MEASURES) total[m] += r[m] ?? 0;
  return total;
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/**
 * Answer rate = answered ÷ (offered − short abandons): a caller who hung up within the
 * short-abandon threshold is left out of the base (threshold 0: every offered call counts).
 */
export function answerRate(m: CcMeasures): { value: number | null; numerator: number; denominator: number } {
  const denominator = m.offered - m.short_abandoned;
  return { value: ratio(m.answered, denominator), numerator: m.answered, denominator };
}

/** Abandon rate = (abandoned − short abandons) ÷ (offered − short abandons). */
export const abandonRate = (m: CcMeasures): number | null =>
  ratio(m.abandoned - m.short_abandoned, m.offered - m.short_abandoned);

/** Service level = answered within the threshold ÷ (offered − short abandons). */
export const serviceLevel = (m: CcMeasures): number | null => ratio(m.answered_in_sl, m.offered - m.short_abandoned);

/** Average speed of answer (ms) = total wait of the answered ÷ answered. */
export const averageSpeedOfAnswer = (m: CcMeasures): number | null => ratio(m.answer_wait_ms, m.answered);

/** Mean first human response of chats (ms). */
export const meanFirstResponse = (m: CcMeasures): number | null => ratio(m.first_response_ms, m.first_responses);

/** Bot containment = conversations ended without a person ÷ conversations ended. */
export const containment = (m: CcMeasures): number | null => ratio(m.contained, m.ended);

/** The measures of the intervals that start in the peak hours. */
export function peakMeasures(
  rows: readonly { minute: number; cells: Partial<CcMeasures> }[],
  peakHours: readonly PeakRange[],
): CcMeasures {
  return sumCc(rows.filter((r) => isPeak(r.minute, peakHours)).map((r) => r.cells));
}

/** Every interval start of a local day (96 on most days; 92 or 100 when the clocks change). */
export function intervalsOfDay(day: string, timeZone: string): Interval[] {
  const start = DateTime.fromISO(day, { zone: timeZone }).startOf('day');
  const end = start.plus({ days: 1 }).startOf('day');
  const out: Interval[] = [];
  for (let t = start.toMillis(); t < end.toMillis(); t += INTERVAL_MINUTES * 60_000)
    out.push(intervalOf(new Date(t), timeZone));
  return out;
}

export const CALL_EVENTS = ['started', 'offered', 'queued', 'answered', 'abandoned', 'ended'] as const;
export type CallEventKind = (typeof CALL_EVENTS)[number];

/** One CTI event as the core needs it. */
export type CtiEvent = { event: CallEventKind; at: Date; queue?: string | undefined; waitSeconds?: number | undefined };

const TIME_OF: Record<CallEventKind, keyof CallTimes> = {
  started: 'startedAt',
  offered: 'offeredAt',
  queued: 'queuedAt',
  answered: 'answeredAt',
  abandoned: 'abandonedAt',
  ended: 'endedAt',
};

/**
 * The call after one more event. Idempotent per (call, event): the first event of each kind sets
 * its time and a repeat changes nothing, whatever order they arrive in. The queue is the first one
 * named; the ACD's wait comes with the answer or the abandon (the first of them to report one).
 */
export function applyCallEvent(call: CallTimes, e: CtiEvent): CallTimes {
  const field = TIME_OF[e.event];
  if (call[field] !== null) return call;
  return {
    ...call,
    [field]: e.at,
    queue: call.queue || (e.queue ?? ''),
    waitMs:
      call.waitMs === null && e.waitSeconds !== undefined && (e.event === 'answered' || e.event === 'abandoned')
        ? Math.round(e.waitSeconds * 1000)
        : call.waitMs,
  };
}

export const noCall = (): CallTimes => ({
  startedAt: null,
  offeredAt: null,
  queuedAt: null,
  answeredAt: null,
  abandonedAt: null,
  endedAt: null,
  waitMs: null,
  queue: '',
});

/** Any part of the settings; what is left out keeps its value. */
export type ContactCentreSettingsPatch = { [K in keyof ContactCentreSettings]?: ContactCentreSettings[K] | undefined };

/** `patch` laid over `base` (by default the defaults above). */
export function mergeContactCentreSettings(
  patch: ContactCentreSettingsPatch | null | undefined,
  base: ContactCentreSettings = DEFAULT_CONTACT_CENTRE_SETTINGS,
): ContactCentreSettings {
  const p = patch ?? {};
  return {
    serviceLevelSeconds: p.serviceLevelSeconds ?? base.serviceLevelSeconds,
    shortAbandonSeconds: p.shortAbandonSeconds ?? base.shortAbandonSeconds,
    peakHours: p.peakHours ?? base.peakHours,
    chatFirstResponseSeconds: p.chatFirstResponseSeconds ?? base.chatFirstResponseSeconds,
  };
}
