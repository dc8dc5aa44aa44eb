import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import {
  suggestClassification,
  type ClassificationSuggestion,
  type LabelledWords,
} from '../../core/tickets/classification.js';
import type { Actor } from '../../core/auth/policy.js';
import { categories, grades, tickets } from '../../db/schema.js';
import type { DbOrTx } from '../../db/client.js';
import { segmentWords } from '../../text/segmenter.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from './load-ticket.js';

// Classification suggestions (issue 15): load the categories with their keywords, the grades and
// the resolved tickets that share words with the text; the core decides.

/** Resolved tickets considered as neighbours: the newest that share a word, then the best-ranked of those. */
const CANDIDATES = 2000;
const NEIGHBOUR_POOL = 200;

/**
 * A cue word's jieba words, segmented once per process: every channel message is classified, and
 * the cue words (a few hundred, administrators' data) rarely change.
 */
const segmented = new Map<string, string[]>();
function keywordWords(keyword: string): string[] {
  let words = segmented.get(keyword);
  if (!words) segmented.set(keyword, (words = segmentWords(keyword)));
  return words;
}

/** Above this confidence a channel ticket takes the suggestion (LOOPDESK_CLASSIFY_APPLY_AT). */
export const DEFAULT_APPLY_AT = 0.5;

export type SuggestionWithIds = ClassificationSuggestion & {
  categories: (ClassificationSuggestion['categories'][number] & { id: string })[];
};

export async function suggestFromText(db: DbOrTx, deps: Deps, text: string): Promise<SuggestionWithIds | null> {
  const words = deps.indexText(text).split(' ').filter(Boolean);
  if (words.length === 0) return null;
  // One query at a time: `db` may be a transaction, whose queries share its connection.
  const cats = await db
    .select({ id: categories.id, code: categories.code, type: categories.ticketType, keywords: categories.keywords })
    .from(categories)
    .where(eq(categories.active, true));
  const gradeRows = await db.select({ code: grades.code }).from(grades).orderBy(asc(grades.rank));
  const neighbours = await similarResolved(db, words);
  const suggestion = suggestClassification({
    words,
    categories: cats.map((c) => ({
      code: c.code,
      type: c.type,
      keywords: (c.keywords ?? []).map(keywordWords),
    })),
    neighbours,
    grades: gradeRows.map((g) => g.code),
  });
  if (!suggestion) return null;
  const idOf = new Map(cats.map((c) => [c.code, c.id]));
  return { ...suggestion, categories: suggestion.categories.map((c) => ({ ...c, id: idOf.get(c.code)! })) };
}

/** Resolved and closed tickets sharing words with the text, with their final type and category. */
async function similarResolved(db: DbOrTx, words: string[]): Promise<LabelledWords[]> {
  const query = sql`websearch_to_tsquery('simple', ${words.join(' or ')})`;
  const candidates = db
    .select({ id: tickets.id, searchText: tickets.searchText, type: tickets.type, categoryId: tickets.categoryId })
    .from(tickets)
    .where(
      and(
        inArray(tickets.status, ['resolved', 'closed']),
        isNotNull(tickets.categoryId),
        sql`to_tsvector('simple', ${tickets.searchText}) @@ ${query}`,
      ),
    )
    .orderBy(desc(tickets.createdAt))
    .limit(CANDIDATES)
    .as('candidates');
  const rows = await db
    .select({ searchText: candidates.searchText, type: candidates.type, code: categories.code })
    .from(candidates)
    .innerJoin(categories, eq(categories.id, candidates.categoryId))
    .orderBy(desc(sql`ts_rank(to_tsvector('simple', ${candidates.searchText}), ${query})`))
    .limit(NEIGHBOUR_POOL);
  return rows.map((r) => ({ words: r.searchText.split(' '), type: r.type, categoryCode: r.code }));
}

/** The suggestion for a ticket's subject and description, for someone who may read it. */
export async function suggestForTicketText(deps: Deps, actor: Actor, ticketId: string) {
  const { ticket } = await loadTicketFor(deps.db, actor, ticketId);
  return suggestFromText(deps.db, deps, `${ticket.subject}\n${ticket.description}`);
}
