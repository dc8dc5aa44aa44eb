import { and, asc, between, eq, gt, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import {
  abandonRate,
  answerRate,
  averageSpeedOfAnswer,
  containment,
  emptyCcMeasures,
  intervalsOfDay,
  isPeak,
  meanFirstResponse,
  peakMeasures,
  serviceLevel,
  sumCc,
  type CcMeasures,
  type ContactMedia,
} from '../../core/contact-centre/figures.js';
import type { ContactCentreFacts } from '../../core/kpi/formulas.js';
import { meetsTarget } from '../../core/kpi/settings.js';
import type { WallboardView } from '../../contracts/contact-centre.js';
import type { DbOrTx } from '../../db/client.js';
import { callRecords, contactIntervalFacts } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { kpiSettingsOf } from '../kpi/kpi-settings.js';
import { measureSums } from './contact-facts.js';
import { contactCentreSettingsOf } from './settings.js';
import { canSupervise, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';

// The supervisors' wallboard: today's 15-minute intervals from the roll-up (never the calls), the
// day's figures against their targets, and what is waiting now.

/** A call still waiting after this long is taken as lost (its end never came) and not shown as waiting. */
const WAITING_HORIZON_MS = 4 * 3_600_000;

type Row = { start: Date; minute: number; media: ContactMedia; cells: CcMeasures };

async function intervalRows(db: DbOrTx, from: string, to: string, queue?: string): Promise<Row[]> {
  const rows = await db
    .select({
      start: contactIntervalFacts.intervalStart,
      minute: contactIntervalFacts.minute,
      media: contactIntervalFacts.media,
      ...measureSums(),
    })
    .from(contactIntervalFacts)
    .where(and(between(contactIntervalFacts.day, from, to), queue ? eq(contactIntervalFacts.queue, queue) : undefined))
    .groupBy(contactIntervalFacts.intervalStart, contactIntervalFacts.minute, contactIntervalFacts.media)
    .orderBy(asc(contactIntervalFacts.intervalStart));
  return rows.map(({ start, minute, media, ...cells }) => ({
    start,
    minute,
    media,
    cells: { ...emptyCcMeasures(), ...cells },
  }));
}

/** The facts the KPI dashboard shows for local days from…to (the whole centre). */
export async function contactCentreFacts(db: DbOrTx, from: string, to: string): Promise<ContactCentreFacts> {
  const [rows, settings] = await Promise.all([intervalRows(db, from, to), contactCentreSettingsOf(db)]);
  const voice = rows.filter((r) => r.media === 'voice');
  return {
    voice: sumCc(voice.map((r) => r.cells)),
    voicePeak: peakMeasures(voice, settings.peakHours),
    chat: sumCc(rows.filter((r) => r.media === 'chat').map((r) => r.cells)),
  };
}

/** Chats waiting for a person and chats with a person now (the chat tables, when they exist). */
export type LiveChats = (db: DbOrTx, queue: string | undefined) => Promise<{ waiting: number; concurrent: number }>;
export const noLiveChats: LiveChats = () => Promise.resolve({ waiting: 0, concurrent: 0 });

async function waitingCalls(db: DbOrTx, now: Date, queue: string | undefined) {
  const since = new Date(now.getTime() - WAITING_HORIZON_MS);
  const offered = sql<Date>`least(${callRecords.offeredAt}, ${callRecords.queuedAt})`;
  const [row] = await db
    .select({
      waiting: sql<number>`count(*)::int`.mapWith(Number),
      oldest: sql<string | null>`min(${offered})`,
    })
    .from(callRecords)
    .where(
      and(
        isNull(callRecords.answeredAt),
        isNull(callRecords.abandonedAt),
        isNull(callRecords.endedAt),
        or(isNotNull(callRecords.offeredAt), isNotNull(callRecords.queuedAt)),
        gt(callRecords.createdAt, since),
        queue ? eq(callRecords.queue, queue) : undefined,
      ),
    );
  const oldest = row?.oldest ? new Date(row.oldest) : null;
  return { waiting: row?.waiting ?? 0, longestWaitMs: oldest ? Math.max(0, now.getTime() - oldest.getTime()) : null };
}

export async function readWallboard(
  deps: Deps,
  actor: Actor,
  q: { day?: string | undefined; queue?: string | undefined },
  liveChats: LiveChats = noLiveChats,
): Promise<WallboardView> {
  if (!canSupervise(actor))
    throw new AppError('auth.forbidden', 'Only supervisors and administrators see the wallboard');
  const now = deps.clock.now();
  const tz = deps.timeZone;
  const day = q.day ?? DateTime.fromJSDate(now, { zone: tz }).toISODate()!;
  const [rows, settings, kpi, calls, chats] = await Promise.all([
    intervalRows(deps.db, day, day, q.queue),
    contactCentreSettingsOf(deps.db),
    kpiSettingsOf(deps.db),
    waitingCalls(deps.db, now, q.queue),
    liveChats(deps.db, q.queue),
  ]);
  const byStart = new Map(rows.map((r) => [`${r.media}:${r.start.toISOString()}`, r.cells]));
  const intervals = intervalsOfDay(day, tz).map((i) => {
    const v = byStart.get(`voice:${i.start.toISOString()}`) ?? emptyCcMeasures();
    const c = byStart.get(`chat:${i.start.toISOString()}`) ?? emptyCcMeasures();
    return {
      start: i.start.toISOString(),
      label: DateTime.fromJSDate(i.start, { zone: tz }).toFormat('HH:mm'),
      peak: isPeak(i.minute, settings.peakHours),
      voice: {
        offered: v.offered,
        answered: v.answered,
        abandoned: v.abandoned,
        shortAbandoned: v.short_abandoned,
        answerRate: answerRate(v).value,
      },
      chat: { offered: c.offered, answered: c.answered, abandoned: c.abandoned },
    };
  });
  const voiceRows = rows.filter((r) => r.media === 'voice');
  const voice = sumCc(voiceRows.map((r) => r.cells));
  const peak = peakMeasures(voiceRows, settings.peakHours);
  const chat = sumCc(rows.filter((r) => r.media === 'chat').map((r) => r.cells));
  const peakRate = answerRate(peak).value;
  const target = (id: 'answer_rate_peak' | 'asa' | 'bot_containment' | 'chat_first_response') =>
    kpi.targets[id] ?? null;
  return {
    day,
    timeZone: tz,
    asOf: now.toISOString(),
    settings,
    intervals,
    voice: {
      offered: voice.offered,
      answered: voice.answered,
      abandoned: voice.abandoned,
      shortAbandoned: voice.short_abandoned,
      answerRate: answerRate(voice).value,
      serviceLevel: serviceLevel(voice),
      abandonRate: abandonRate(voice),
      asaMs: averageSpeedOfAnswer(voice),
      peak: {
        offered: peak.offered,
        answered: peak.answered,
        answerRate: peakRate,
        target: target('answer_rate_peak'),
        met: meetsTarget(peakRate, target('answer_rate_peak') ?? undefined),
      },
      asaTarget: target('asa'),
      waiting: calls.waiting,
      longestWaitMs: calls.longestWaitMs,
    },
    chat: {
      conversations: chat.conversations,
      offered: chat.offered,
      answered: chat.answered,
      abandoned: chat.abandoned,
      ended: chat.ended,
      contained: chat.contained,
      containment: containment(chat),
      containmentTarget: target('bot_containment'),
      firstResponseMs: meanFirstResponse(chat),
      firstResponseInTarget: chat.first_responses > 0 ? chat.first_response_in_target / chat.first_responses : null,
      firstResponseTarget: target('chat_first_response'),
      asaMs: averageSpeedOfAnswer(chat),
      waiting: chats.waiting,
      concurrent: chats.concurrent,
    },
  };
}
