import { and, desc, eq, isNull, or } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { richTextToPlain } from '../../core/knowledge/plain-text.js';
import { isEffective } from '../../core/knowledge/workflow.js';
import { customers, kbArticles, kbUsages, kbVersions, staff, ticketMessages } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from '../tickets/load-ticket.js';
import { recordEvent } from '../tickets/record-event.js';
import { compileQuery, effectiveAt, findArticles, hitView, isLive } from './search.js';
import type { ArticleRow } from './store.js';

// Suggestions on the ticket page: the top 5 articles and the top 5 similar resolved cases for the
// ticket's subject and its latest customer message (its words weigh double), published, in force and
// for everywhere or the customer's region. They change when the
// customer writes again (the desk reloads them on the ticket's live event). Inserting one into a
// reply is recorded (kb_usages and the timeline).

export const SUGGESTIONS = 5;

/** The text an agent inserts: an article's text, a case's resolution (or its text when there is none). */
const answerOf = (r: ArticleRow) =>
  r.kind === 'case' && r.resolution.trim() ? r.resolution.trim() : richTextToPlain(r.body);

export async function suggestForTicket(deps: Deps, actor: Actor, ticketId: string) {
  const { ticket } = await loadTicketFor(deps.db, actor, ticketId);
  const [latest] = await deps.db
    .select({ id: ticketMessages.id, body: ticketMessages.body, format: ticketMessages.bodyFormat })
    .from(ticketMessages)
    .where(and(eq(ticketMessages.ticketId, ticketId), eq(ticketMessages.fromCustomer, true)))
    .orderBy(desc(ticketMessages.createdAt), desc(ticketMessages.id))
    .limit(1);
  const said = latest ? (latest.format === 'html' ? richTextToPlain(latest.body) : latest.body) : ticket.description;
  // The customer's latest words weigh double: when they write again about something else, that comes first.
  const q = await compileQuery(deps, deps.db, `${ticket.subject}\n${said}`, { emphasise: said });
  const now = deps.clock.now();
  // Articles for everywhere, and those for the customer's own region (a tariff of another city is no answer).
  const [customer] = await deps.db
    .select({ region: customers.region })
    .from(customers)
    .where(eq(customers.id, ticket.customerId));
  const region = customer?.region
    ? or(isNull(kbArticles.region), eq(kbArticles.region, customer.region))
    : isNull(kbArticles.region);
  const top = async (kind: 'article' | 'case') =>
    (
      await findArticles(deps.db, q, [isLive, effectiveAt(now), eq(kbArticles.kind, kind), region], {
        limit: SUGGESTIONS,
        offset: 0,
      })
    ).map((f) => ({ ...hitView(deps, f, q.hits), answer: answerOf(f.row) }));
  const [articles, cases] = q.tsquery ? await Promise.all([top('article'), top('case')]) : [[], []];
  const used = await deps.db
    .select({
      articleId: kbUsages.articleId,
      title: kbArticles.title,
      kind: kbArticles.kind,
      by: { id: staff.id, displayName: staff.displayName },
      at: kbUsages.at,
    })
    .from(kbUsages)
    .innerJoin(kbArticles, eq(kbArticles.id, kbUsages.articleId))
    .innerJoin(staff, eq(staff.id, kbUsages.staffId))
    .where(eq(kbUsages.ticketId, ticketId))
    .orderBy(desc(kbUsages.at));
  return {
    basedOn: { messageId: latest?.id ?? null },
    articles,
    cases,
    used: used.map((u) => ({ ...u, at: u.at.toISOString() })),
  };
}

/** Records that `actor` inserted a (published, in force) article or case into a reply on the ticket. */
export async function recordKnowledgeUse(deps: Deps, actor: Actor, ticketId: string, articleId: string) {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { access } = await loadTicketFor(tx, actor, ticketId);
    if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You may not work this ticket');
    const [article] = await tx.select().from(kbArticles).where(eq(kbArticles.id, articleId));
    if (!article?.publishedVersionId) throw notFound('Article');
    if (!isEffective(article, now)) throw new AppError('knowledge.not_live', 'This article is not in force');
    const [version] = await tx
      .select({ number: kbVersions.number })
      .from(kbVersions)
      .where(eq(kbVersions.id, article.publishedVersionId));
    await tx.insert(kbUsages).values({
      id: uuidv7(),
      articleId,
      versionId: article.publishedVersionId,
      ticketId,
      staffId: actor.id,
      at: now,
    });
    await recordEvent(tx, {
      ticketId,
      actorId: actor.id,
      at: now,
      kind: 'knowledge_used',
      data: { articleId, kind: article.kind, title: article.title, version: version?.number ?? 1 },
    });
  });
}
