import { and, asc, eq, gt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { canManageReply, canUseReply, creatableReplyScopes, type ReplyHolder } from '../../core/auth/replies.js';
import type { Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { isMacro, type MacroActions } from '../../core/replies/macro.js';
import { unknownPlaceholders } from '../../core/replies/placeholders.js';
import type { ReplyCreate, ReplyListQuery, ReplyUpdate } from '../../contracts/replies.js';
import type { DbOrTx } from '../../db/client.js';
import { replies, staff, teams } from '../../db/schema.js';
import { isUniqueViolation } from '../admin/directory.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Deps } from '../deps.js';
import { checkGrade } from '../tickets/references.js';

// Managed replies and macros (快捷回复): the composer searches the ones this person may use; their
// managers (owner, team supervisors, supervisors and admins) create, change and delete them.

export type ReplyRow = typeof replies.$inferSelect;
const owner = alias(staff, 'reply_owner');
const Cursor = z.object({ n: z.string(), i: z.uuid() });

/** The replies `actor` may use, as SQL (the same rule as `canUseReply`). */
function usableBy(actor: Actor): SQL {
  if (actor.role === 'qa') return sql`false`;
  return or(
    eq(replies.scope, 'global'),
    and(eq(replies.scope, 'personal'), eq(replies.ownerId, actor.id)),
    actor.role === 'admin'
      ? eq(replies.scope, 'team')
      : actor.teamId
        ? and(eq(replies.scope, 'team'), eq(replies.teamId, actor.teamId))
        : sql`false`,
  )!;
}

/**
 * Search words as a prefix query: every word must start a word of the name or text, so typing
 * "上门" or "ackn" finds "上门预约" and "Acknowledge". Words come from the same segmenter as the index.
 */
function prefixQuery(indexText: (t: string) => string, q: string): string | null {
  const words = indexText(q)
    .split(' ')
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter(Boolean);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

export async function listReplies(deps: Deps, actor: Actor, q: z.output<typeof ReplyListQuery>) {
  const filters: (SQL | undefined)[] = [usableBy(actor)];
  if (q.scope) filters.push(eq(replies.scope, q.scope));
  if (q.kind === 'macro') filters.push(sql`${replies.actions} <> '{}'::jsonb`);
  if (q.kind === 'reply') filters.push(sql`${replies.actions} = '{}'::jsonb`);
  if (q.q) {
    const query = prefixQuery(deps.indexText, q.q);
    if (query) filters.push(sql`to_tsvector('simple', ${replies.searchText}) @@ to_tsquery('simple', ${query})`);
  }
  const cursor = decodeCursor(q.cursor, Cursor);
  if (cursor) filters.push(or(gt(replies.name, cursor.n), and(eq(replies.name, cursor.n), gt(replies.id, cursor.i))));
  const rows = await deps.db
    .select({
      reply: replies,
      team: { id: teams.id, name: teams.name },
      owner: { id: owner.id, displayName: owner.displayName },
    })
    .from(replies)
    .leftJoin(teams, eq(teams.id, replies.teamId))
    .leftJoin(owner, eq(owner.id, replies.ownerId))
    .where(and(...filters))
    .orderBy(asc(replies.name), asc(replies.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      ...r.reply,
      team: r.team?.id ? r.team : null,
      owner: r.owner?.id ? r.owner : null,
      isMacro: isMacro(r.reply.actions),
      abilities: canManageReply(actor, r.reply) ? (['edit', 'delete'] as const) : ([] as const),
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ n: last.reply.name, i: last.reply.id }) : null,
    creatableScopes: creatableReplyScopes(actor),
  };
}

/** A reply `actor` may use, or "not found" (also for one that exists but is not theirs to see). */
export async function loadReplyFor(db: DbOrTx, actor: Actor, id: string): Promise<ReplyRow> {
  const [row] = await db.select().from(replies).where(eq(replies.id, id));
  if (!row || !(canUseReply(actor, row) || canManageReply(actor, row))) throw notFound('Reply');
  return row;
}

/** Placeholders we cannot fill and grades that do not exist are refused, every one of them named. */
async function checkContent(db: DbOrTx, body: string, actions: MacroActions) {
  const unknown = [...new Set([...unknownPlaceholders(body), ...unknownPlaceholders(actions.note ?? '')])];
  if (unknown.length)
    throw new AppError(
      'reply.unknown_placeholder',
      `Unknown placeholders: ${unknown.map((p) => `{{${p}}}`).join(', ')}`,
      {
        placeholders: unknown,
      },
    );
  if (actions.grade) await checkGrade(db, actions.grade);
  if (!body.trim() && !isMacro(actions))
    throw new AppError('request.invalid', 'A reply needs a text, a macro at least one action', { field: 'body' });
}

/** What the composer's search finds a reply by: its name, text, note and tags, segmented. */
export const replySearchText = (indexText: Deps['indexText'], name: string, body: string, actions: MacroActions) =>
  indexText(`${name} ${body} ${actions.note ?? ''} ${(actions.addTags ?? []).join(' ')}`);

const nameTaken = (name: string) => new AppError('reply.name_taken', `There is already a reply named "${name}" here`);

/** Drops empty action lists so "no actions" is stored one way. */
const normalActions = (a: MacroActions): MacroActions => ({
  ...(a.status ? { status: a.status } : {}),
  ...(a.addTags?.length ? { addTags: [...new Set(a.addTags)] } : {}),
  ...(a.grade ? { grade: a.grade } : {}),
  ...(a.note?.trim() ? { note: a.note } : {}),
});

export async function createReply(deps: Deps, actor: Actor, input: z.output<typeof ReplyCreate>): Promise<string> {
  const holder: ReplyHolder = {
    scope: input.scope,
    ownerId: input.scope === 'personal' ? actor.id : null,
    teamId: input.scope === 'team' ? (input.teamId ?? actor.teamId) : null,
  };
  if (input.scope === 'team' && !holder.teamId)
    throw new AppError('request.invalid', 'A team reply needs a team', { field: 'teamId' });
  if (input.scope !== 'team' && input.teamId)
    throw new AppError('request.invalid', 'Only team replies belong to a team', { field: 'teamId' });
  if (!canManageReply(actor, holder))
    throw new AppError(
      'auth.forbidden',
      input.scope === 'personal'
        ? 'Your role does not use replies'
        : input.scope === 'team'
          ? 'Only that team’s supervisors and administrators manage its replies'
          : 'Only supervisors and administrators manage global replies',
    );
  const actions = normalActions(input.actions);
  await checkContent(deps.db, input.body, actions);
  if (holder.teamId) {
    const [team] = await deps.db.select({ id: teams.id }).from(teams).where(eq(teams.id, holder.teamId));
    if (!team) throw new AppError('request.invalid', 'No such team', { field: 'teamId' });
  }
  const id = uuidv7();
  const now = deps.clock.now();
  try {
    await deps.db.insert(replies).values({
      id,
      ...holder,
      name: input.name,
      body: input.body,
      actions,
      searchText: replySearchText(deps.indexText, input.name, input.body, actions),
      createdById: actor.id,
      createdAt: now,
      updatedAt: now,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  }
  return id;
}

async function loadForManaging(db: DbOrTx, actor: Actor, id: string): Promise<ReplyRow> {
  const row = await loadReplyFor(db, actor, id);
  if (!canManageReply(actor, row))
    throw new AppError('auth.forbidden', 'You may use this reply but not change it; ask its owner or a supervisor');
  return row;
}

export async function updateReply(deps: Deps, actor: Actor, id: string, input: z.output<typeof ReplyUpdate>) {
  const row = await loadForManaging(deps.db, actor, id);
  const next = {
    name: input.name ?? row.name,
    body: input.body ?? row.body,
    actions: input.actions ? normalActions(input.actions) : row.actions,
  };
  await checkContent(deps.db, next.body, next.actions);
  try {
    await deps.db
      .update(replies)
      .set({
        ...next,
        searchText: replySearchText(deps.indexText, next.name, next.body, next.actions),
        updatedAt: deps.clock.now(),
      })
      .where(eq(replies.id, id));
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(next.name);
    throw err;
  }
}

export async function deleteReply(deps: Deps, actor: Actor, id: string): Promise<void> {
  await loadForManaging(deps.db, actor, id);
  await deps.db.delete(replies).where(eq(replies.id, id));
}
