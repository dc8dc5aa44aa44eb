import { and, asc, count, eq, ne } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { canAdminister, canSupervise, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { checkReply, findPhrases } from '../../core/quality/phrases.js';
import type { PhraseEntryBody, PhraseListQuery, PhraseTestBody } from '../../contracts/quality.js';
import { errorCode } from '../../db/errors.js';
import { grades, phraseEntries } from '../../db/schema.js';
import { segmentWords } from '../../text/segmenter.js';
import type { Deps } from '../deps.js';
import { currentPhrases } from './phrase-checks.js';

// The phrase lists in the admin console: risk words, required script phrases, forbidden phrases.

type Body = z.output<typeof PhraseEntryBody>;
type Row = typeof phraseEntries.$inferSelect;

function requireAdmin(actor: Actor) {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators change the phrase lists');
}

export const phraseView = (row: Row) => ({
  id: row.id,
  list: row.list,
  phrase: row.phrase,
  synonyms: row.synonyms,
  slot: row.slot,
  channels: row.channels,
  raiseGrade: row.raiseGrade,
  enabled: row.enabled,
  updatedAt: row.updatedAt.toISOString(),
});

/** One list, a page at a time, in phrase order (supervisors read them, administrators edit them). */
export async function listPhrases(deps: Deps, actor: Actor, query: z.output<typeof PhraseListQuery>) {
  if (!canSupervise(actor))
    throw new AppError('auth.forbidden', 'The phrase lists are for supervisors and administrators');
  const where = eq(phraseEntries.list, query.list);
  const [rows, [total]] = await Promise.all([
    deps.db
      .select()
      .from(phraseEntries)
      .where(where)
      .orderBy(asc(phraseEntries.phrase), asc(phraseEntries.id))
      .limit(query.limit)
      .offset(query.offset),
    deps.db.select({ n: count() }).from(phraseEntries).where(where),
  ]);
  return { items: rows.map(phraseView), total: total?.n ?? 0 };
}

async function checkEntry(deps: Deps, body: Body, id: string | null) {
  if (body.raiseGrade) {
    const [grade] = await deps.db.select().from(grades).where(eq(grades.code, body.raiseGrade));
    if (!grade)
      throw new AppError('directory.unknown_reference', `No such grade: ${body.raiseGrade}`, {
        field: 'raiseGrade',
        grades: [body.raiseGrade],
      });
  }
  const [same] = await deps.db
    .select({ id: phraseEntries.id })
    .from(phraseEntries)
    .where(
      and(
        eq(phraseEntries.list, body.list),
        eq(phraseEntries.phrase, body.phrase),
        id ? ne(phraseEntries.id, id) : undefined,
      ),
    );
  if (same) throw new AppError('phrase.duplicate', `"${body.phrase}" is already on this list`, { id: same.id });
  if (segmentWords(body.phrase).length === 0)
    throw new AppError('request.invalid', 'The phrase has no words to match', { field: 'phrase' });
}

/** The unique index still guards two concurrent saves of the same phrase. */
const isUniqueViolation = (e: unknown) => errorCode(e) === '23505';

export async function createPhrase(deps: Deps, actor: Actor, body: Body) {
  requireAdmin(actor);
  await checkEntry(deps, body, null);
  const now = deps.clock.now();
  try {
    const [row] = await deps.db
      .insert(phraseEntries)
      .values({ id: uuidv7(), ...body, createdAt: now, updatedAt: now })
      .returning();
    return phraseView(row!);
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('phrase.duplicate', `"${body.phrase}" is already on this list`);
    throw e;
  }
}

export async function updatePhrase(deps: Deps, actor: Actor, id: string, body: Body) {
  requireAdmin(actor);
  await checkEntry(deps, body, id);
  try {
    const [row] = await deps.db
      .update(phraseEntries)
      .set({ ...body, updatedAt: deps.clock.now() })
      .where(eq(phraseEntries.id, id))
      .returning();
    if (!row) throw notFound('Phrase');
    return phraseView(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('phrase.duplicate', `"${body.phrase}" is already on this list`);
    throw e;
  }
}

export async function deletePhrase(deps: Deps, actor: Actor, id: string) {
  requireAdmin(actor);
  const deleted = await deps.db
    .delete(phraseEntries)
    .where(eq(phraseEntries.id, id))
    .returning({ id: phraseEntries.id });
  if (deleted.length === 0) throw notFound('Phrase');
}

/** Tries a text against the saved lists: how it segments, the risk words in it, and the reply check. */
export async function testPhrases(deps: Deps, actor: Actor, body: z.output<typeof PhraseTestBody>) {
  if (!canSupervise(actor))
    throw new AppError('auth.forbidden', 'The phrase lists are for supervisors and administrators');
  const { compiled } = await currentPhrases(deps.db);
  const words = segmentWords(body.text);
  return {
    words,
    risk: findPhrases(compiled.risk, words).map((h) => h.entry.phrase),
    reply: checkReply(compiled, words, body.channel),
  };
}
