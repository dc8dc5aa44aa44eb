import { and, asc, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import {
  checkReply,
  compilePhrases,
  replyText,
  screenCustomerWords,
  type CompiledPhrases,
  type RiskScreen,
  type PhraseEntry,
} from '../../core/quality/phrases.js';
import { applyActions } from '../../core/tickets/actions.js';
import type { Channel } from '../../core/tickets/types.js';
import type { Db, Tx } from '../../db/client.js';
import { grades, phraseEntries, replyChecks, riskHits, staff, tickets } from '../../db/schema.js';
import { tableStamp } from '../../db/table-stamp.js';
import { segmentWords } from '../../text/segmenter.js';
import type { Deps } from '../deps.js';
import { priorityWeightsOf } from '../admin/settings.js';
import { recalculateSla } from '../sla/sla-lifecycle.js';
import { notifyStaff } from '../tickets/notify.js';
import { recordEvent } from '../tickets/record-event.js';
import { actionTicketOf, changedColumns, customerTierOf } from '../tickets/ticket-actions.js';

// The automatic checks (质检 smart monitoring): every customer message is screened for risk words,
// every agent's public reply for the script (required phrases present, forbidden ones absent).
// Both run inside the transaction that writes the message, so a message never exists unchecked.

type PhraseSet = { stamp: string; compiled: CompiledPhrases; gradeRanks: Map<string, number> };

// Compiled lists are cached per database and reloaded when the table's stamp changes (as routing
// rules are): an edit on any node is seen by every node's next message.
const cache = new WeakMap<Db, PhraseSet>();

export const phrasesStamp = tableStamp(phraseEntries);

export const phraseEntryOf = (row: typeof phraseEntries.$inferSelect): PhraseEntry => ({
  id: row.id,
  list: row.list,
  phrase: row.phrase,
  synonyms: row.synonyms,
  slot: row.slot,
  channels: row.channels,
  raiseGrade: row.raiseGrade,
  enabled: row.enabled,
});

/**
 * The compiled lists as saved now, read through `executor` (the caller's transaction, or the
 * database). `knownStamp`: `phrasesStamp` as the caller already read it in this transaction.
 */
export async function currentPhrases(db: Db, executor: Db | Tx = db, knownStamp?: string): Promise<PhraseSet> {
  const stamp = knownStamp ?? (await executor.select({ stamp: phrasesStamp }).from(sql`(select 1) as one`))[0]!.stamp;
  const cached = cache.get(db);
  if (cached?.stamp === stamp) return cached;
  const rows = await executor.select().from(phraseEntries).orderBy(asc(phraseEntries.createdAt), asc(phraseEntries.id));
  const gradeRows = await executor.select({ code: grades.code, rank: grades.rank }).from(grades);
  const set: PhraseSet = {
    stamp,
    compiled: compilePhrases(rows.map(phraseEntryOf), segmentWords),
    gradeRanks: new Map(gradeRows.map((g) => [g.code, g.rank])),
  };
  cache.set(db, set);
  return set;
}

/** Supervisors of the ticket's team when it has any, otherwise every active supervisor. */
async function supervisorsFor(tx: Tx, teamId: string | null): Promise<string[]> {
  const rows = await tx
    .select({ id: staff.id, teamId: staff.teamId })
    .from(staff)
    .where(and(eq(staff.role, 'supervisor'), eq(staff.active, true)));
  const ofTeam = rows.filter((r) => r.teamId === teamId);
  return (ofTeam.length > 0 ? ofTeam : rows).map((r) => r.id);
}

export type RiskWords = { phrases: PhraseSet; screen: RiskScreen };

/**
 * The risk words in a customer's text, by the lists as saved now (read through `executor`).
 * `knownStamp`: `phrasesStamp` as the caller already read it in this transaction; with it, and the
 * lists cached, nothing is read.
 */
export async function findRiskWords(db: Db, executor: Db | Tx, text: string, knownStamp?: string): Promise<RiskWords> {
  const phrases = await currentPhrases(db, executor, knownStamp);
  const screen =
    phrases.compiled.risk.entries.length === 0
      ? { words: [], actions: [] }
      : screenCustomerWords(phrases.compiled, segmentWords(text));
  return { phrases, screen };
}

/**
 * Screens a customer's words on a ticket the caller has locked (a new ticket's text, or a later
 * message from any channel). A risk word tags the ticket, raises its grade when the word's entry
 * says so (never down), is kept on the ticket and its timeline, and alerts the supervisors.
 * `found`: the message's words as the caller already screened them (findRiskWords); without a risk
 * word nothing is written.
 */
export async function screenCustomerMessage(
  tx: Tx,
  deps: Pick<Deps, 'db' | 'priorityWeights'>,
  ticketId: string,
  message: { id: string | null; channel: Channel; text: string; opening?: boolean },
  now: Date,
  found?: RiskWords,
): Promise<{ words: string[] }> {
  const { phrases, screen } = found ?? (await findRiskWords(deps.db, tx, message.text));
  if (screen.words.length === 0) return { words: [] };

  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) return { words: [] };
  const result = applyActions(actionTicketOf(ticket), screen.actions, {
    tier: await customerTierOf(tx, ticket.customerId),
    gradeRank: (code) => phrases.gradeRanks.get(code),
    weights: await priorityWeightsOf(tx, deps),
  });
  if (result.changed.length > 0) {
    // A ticket being opened in this transaction keeps version 1: nobody has read it yet.
    const version = message.opening ? ticket.version : ticket.version + 1;
    await tx
      .update(tickets)
      .set({ ...changedColumns(result), version, updatedAt: now })
      .where(eq(tickets.id, ticket.id));
    if (result.changed.includes('grade')) await recalculateSla(tx, { ...ticket, ...changedColumns(result) }, now);
  }
  const gradeTo = result.ticket.grade;
  const raised = gradeTo !== ticket.grade;
  await tx.insert(riskHits).values({
    id: uuidv7(),
    ticketId: ticket.id,
    messageId: message.id,
    channel: message.channel,
    words: screen.words,
    gradeFrom: ticket.grade,
    gradeTo,
    createdAt: now,
  });
  await recordEvent(tx, {
    ticketId: ticket.id,
    actorId: null,
    kind: 'risk_detected',
    at: now,
    data: {
      messageId: message.id,
      channel: message.channel,
      words: screen.words,
      ...(raised ? { gradeFrom: ticket.grade, gradeTo } : {}),
    },
  });
  const payload = { number: ticket.number, words: screen.words, channel: message.channel, grade: gradeTo, raised };
  await notifyStaff(
    tx,
    (await supervisorsFor(tx, ticket.teamId)).map((recipientId) => ({
      kind: 'risk.alert' as const,
      recipientId,
      ticketId: ticket.id,
      payload,
    })),
    now,
  );
  return { words: screen.words };
}

/**
 * Checks an agent's public reply against the script: the result is stored per reply (the fact
 * script compliance is counted from), and a failed check is noted on the ticket's timeline.
 */
export async function checkAgentReply(
  tx: Tx,
  db: Db,
  reply: { messageId: string; ticketId: string; staffId: string; channel: Channel; body: string; format: string },
  now: Date,
): Promise<void> {
  const phrases = await currentPhrases(db, tx);
  const check = checkReply(phrases.compiled, segmentWords(replyText(reply.body, reply.format)), reply.channel);
  await tx.insert(replyChecks).values({
    messageId: reply.messageId,
    ticketId: reply.ticketId,
    staffId: reply.staffId,
    channel: reply.channel,
    compliant: check.compliant,
    missing: check.missing,
    forbidden: check.forbidden,
    createdAt: now,
  });
  if (!check.compliant) {
    await recordEvent(tx, {
      ticketId: reply.ticketId,
      actorId: reply.staffId,
      kind: 'script_check_failed',
      at: now,
      data: { messageId: reply.messageId, missing: check.missing, forbidden: check.forbidden },
    });
  }
}
