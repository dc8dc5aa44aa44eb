import { and, count, desc, eq, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { canReadKnowledgeDrafts, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { richTextToPlain } from '../../core/knowledge/plain-text.js';
import { groupQuery, hitWords, termGroups, toTsQuery, type TermGroup } from '../../core/knowledge/query.js';
import { snippet, type SnippetPart } from '../../core/knowledge/snippet.js';
import { isEffective } from '../../core/knowledge/workflow.js';
import type { KnowledgeSearchQuery } from '../../contracts/knowledge.js';
import type { DbOrTx } from '../../db/client.js';
import { kbArticles, kbSynonyms } from '../../db/schema.js';
import { segmentTokens, segmentWords } from '../../text/segmenter.js';
import type { Deps } from '../deps.js';
import type { ArticleRow } from './store.js';

// Knowledge search on jieba words: the query is segmented like the index (search mode), widened
// by the administrators' synonyms, matched against the stored vector of the segmented title
// (weight A) and text (weight B) through its GIN index, and ranked by ts_rank_cd. Snippets mark
// the words that matched.

/** The stored vector (0040), GIN-indexed as kb_articles_search_idx. */
const VECTOR = sql`${kbArticles.searchVector}`;

/** The synonym groups, each term as its (precise-mode) jieba words. */
async function synonymGroups(db: DbOrTx): Promise<string[][][]> {
  const rows = await db.select({ terms: kbSynonyms.terms }).from(kbSynonyms);
  return rows.map((r) => r.terms.map((t) => segmentWords(t)));
}

/** `weights`: per group, how much matching it counts (words of the text to emphasise count double). */
export type CompiledQuery = { groups: TermGroup[]; weights: number[]; tsquery: string | null; hits: Set<string> };

export async function compileQuery(
  deps: Deps,
  db: DbOrTx,
  text: string,
  opts: { emphasise?: string } = {},
): Promise<CompiledQuery> {
  const groups = termGroups(deps.indexText(text).split(' '), await synonymGroups(db));
  const emphasised = new Set(opts.emphasise ? deps.indexText(opts.emphasise).split(' ') : []);
  const weights = groups.map((g) => (g.word.split(/\s+/).some((w) => emphasised.has(w)) ? 2 : 1));
  return { groups, weights, tsquery: toTsQuery(groups), hits: hitWords(groups) };
}

/** In force at `now`: started, not yet ended. */
export const effectiveAt = (now: Date): SQL =>
  and(
    or(isNull(kbArticles.effectiveFrom), sql`${kbArticles.effectiveFrom} <= ${now.toISOString()}::timestamptz`),
    or(isNull(kbArticles.effectiveUntil), sql`${kbArticles.effectiveUntil} > ${now.toISOString()}::timestamptz`),
  )!;
export const isLive = isNotNull(kbArticles.publishedVersionId);

type Found = { row: ArticleRow; rank: number; total: number };

/** Matching rows, best first (newest first without a query). */
export async function findArticles(
  db: DbOrTx,
  q: CompiledQuery | null,
  filters: (SQL | undefined)[],
  page: { limit: number; offset: number },
): Promise<Found[]> {
  const tsq = q?.tsquery ? sql`to_tsquery('simple', ${q.tsquery})` : null;
  if (q && !tsq) return [];
  const rank = tsq ? sql<number>`ts_rank_cd(${VECTOR}, ${tsq})`.mapWith(Number) : sql<number>`0`.mapWith(Number);
  // How many of the query's words (each with its synonyms) the text has, weighted: more words first.
  const coverage = q?.groups.length
    ? sql<number>`(${sql.join(
        q.groups.map(
          (g, i) => sql`(${VECTOR} @@ to_tsquery('simple', ${groupQuery(g)}))::int * ${q.weights[i] ?? 1}::int`,
        ),
        sql` + `,
      )})`.mapWith(Number)
    : sql<number>`0`.mapWith(Number);
  const rows = await db
    .select({ row: kbArticles, rank, coverage, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(kbArticles)
    .where(and(...filters, tsq ? sql`${VECTOR} @@ ${tsq}` : undefined))
    .orderBy(...(tsq ? [desc(coverage), desc(rank)] : []), desc(kbArticles.updatedAt), desc(kbArticles.id))
    .limit(page.limit)
    .offset(page.offset);
  return rows;
}

const tokensOf = (deps: Deps, text: string) =>
  segmentTokens(text).map((t) => ({ text: t, words: /[\p{L}\p{N}]/u.test(t) ? deps.indexText(t).split(' ') : [] }));

/** The title and a snippet of the text, the matched words marked. */
export function highlight(
  deps: Deps,
  row: ArticleRow,
  hits: Set<string>,
): { title: SnippetPart[]; snippet: SnippetPart[] } {
  const text =
    row.kind === 'case'
      ? [row.symptom, row.resolution, richTextToPlain(row.body)].filter(Boolean).join(' ')
      : richTextToPlain(row.body);
  return { title: snippet(tokensOf(deps, row.title), hits, 200), snippet: snippet(tokensOf(deps, text), hits, 90) };
}

export function hitView(deps: Deps, f: Found, hits: Set<string>) {
  const r = f.row;
  return {
    id: r.id,
    kind: r.kind,
    ...highlight(deps, r, hits),
    category: r.category,
    tags: r.tags,
    audience: r.audience,
    region: r.region,
    status: r.status,
    live: r.publishedVersionId !== null,
    effective: isEffective(r, deps.clock.now()),
    rank: f.rank,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Search for the desk: published articles and cases by default; drafts and other states for those who write. */
export async function searchKnowledge(deps: Deps, actor: Actor, query: KnowledgeSearchQuery) {
  if (query.status && query.status !== 'published' && !canReadKnowledgeDrafts(actor))
    throw new AppError('auth.forbidden', 'Your role reads published knowledge only');
  const q = query.q ? await compileQuery(deps, deps.db, query.q) : null;
  const filters: (SQL | undefined)[] = [
    !query.status || query.status === 'published' ? isLive : eq(kbArticles.status, query.status),
    query.kind ? eq(kbArticles.kind, query.kind) : undefined,
    query.category ? eq(kbArticles.category, query.category) : undefined,
    query.audience ? eq(kbArticles.audience, query.audience) : undefined,
    query.region ? or(isNull(kbArticles.region), eq(kbArticles.region, query.region)) : undefined,
  ];
  const found = await findArticles(deps.db, q, filters, query);
  const hits = q?.hits ?? new Set<string>();
  return {
    items: found.map((f) => hitView(deps, f, hits)),
    total: found[0]?.total ?? 0,
    words: [...hits],
  };
}

/** Categories in use with their number of articles, among those `filters` admit. */
export async function knowledgeCategories(db: DbOrTx, filters: (SQL | undefined)[]) {
  const rows = await db
    .select({ category: kbArticles.category, count: count() })
    .from(kbArticles)
    .where(and(...filters, sql`${kbArticles.category} <> ''`))
    .groupBy(kbArticles.category)
    .orderBy(kbArticles.category);
  return rows;
}
