import { asc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canAdminister, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { kbSynonyms } from '../../db/schema.js';
import type { Deps } from '../deps.js';

// The synonym list of knowledge search (宽带/网络, 流量/数据, 携号转网/转网 are seeded), kept by administrators.

const assertAdmin = (actor: Actor) => {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators maintain the synonym list');
};

/** Each term once, in the order given, compared lower-cased. */
const distinct = (terms: readonly string[]) => [...new Map(terms.map((t) => [t.toLowerCase(), t.trim()])).values()];

export async function listSynonyms(deps: Deps, actor: Actor) {
  assertAdmin(actor);
  const rows = await deps.db.select().from(kbSynonyms).orderBy(asc(kbSynonyms.createdAt), asc(kbSynonyms.id));
  return { items: rows.map((r) => ({ id: r.id, terms: r.terms })) };
}

export async function createSynonyms(deps: Deps, actor: Actor, terms: string[]) {
  assertAdmin(actor);
  const list = distinct(terms);
  if (list.length < 2)
    throw new AppError('request.invalid', 'A synonym group needs at least two different terms', { field: 'terms' });
  const id = uuidv7();
  await deps.db.insert(kbSynonyms).values({ id, terms: list, createdAt: deps.clock.now() });
  return { id, terms: list };
}

export async function updateSynonyms(deps: Deps, actor: Actor, id: string, terms: string[]) {
  assertAdmin(actor);
  const list = distinct(terms);
  if (list.length < 2)
    throw new AppError('request.invalid', 'A synonym group needs at least two different terms', { field: 'terms' });
  const [row] = await deps.db.update(kbSynonyms).set({ terms: list }).where(eq(kbSynonyms.id, id)).returning();
  if (!row) throw notFound('Synonym group');
  return { id, terms: list };
}

export async function deleteSynonyms(deps: Deps, actor: Actor, id: string) {
  assertAdmin(actor);
  const rows = await deps.db.delete(kbSynonyms).where(eq(kbSynonyms.id, id)).returning({ id: kbSynonyms.id });
  if (rows.length === 0) throw notFound('Synonym group');
}
