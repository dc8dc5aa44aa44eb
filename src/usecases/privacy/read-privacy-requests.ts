import { aliasedTable, and, asc, desc, eq, gt, inArray, lt, notInArray, or } from 'drizzle-orm';
import { z } from 'zod';
import { canHandlePrivacy, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { OPEN_PRIVACY_STATUSES } from '../../core/privacy/requests.js';
import type { DbOrTx } from '../../db/client.js';
import { customers, privacyRequests, retentionRuns, staff } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Deps } from '../deps.js';

// The privacy desk's queue (open requests, the deadline first; or closed ones, the newest first),
// one request, and a customer's own requests in the portal.

export function requirePrivacyDesk(actor: Actor): void {
  if (!canHandlePrivacy(actor))
    throw new AppError('auth.forbidden', 'Personal-data requests are handled by supervisors and administrators');
}

const recorded = aliasedTable(staff, 'recorded');
const previewed = aliasedTable(staff, 'previewed');
const approved = aliasedTable(staff, 'approved');
const closed = aliasedTable(staff, 'closed');
const ref = (id: string | null, name: string | null) => (id ? { id, displayName: name ?? '' } : null);

function selectRequests(db: DbOrTx) {
  return db
    .select({
      r: privacyRequests,
      customerName: customers.name,
      recordedName: recorded.displayName,
      previewedName: previewed.displayName,
      approvedName: approved.displayName,
      closedName: closed.displayName,
    })
    .from(privacyRequests)
    .innerJoin(customers, eq(customers.id, privacyRequests.customerId))
    .leftJoin(recorded, eq(recorded.id, privacyRequests.recordedById))
    .leftJoin(previewed, eq(previewed.id, privacyRequests.previewedById))
    .leftJoin(approved, eq(approved.id, privacyRequests.approvedById))
    .leftJoin(closed, eq(closed.id, privacyRequests.closedById));
}
type Selected = Awaited<ReturnType<ReturnType<typeof selectRequests>['execute']>>[number];

/** A request with the names the desk shows (the presenter decides what the viewer sees). */
export type PrivacyRequestRecord = {
  row: typeof privacyRequests.$inferSelect;
  customerName: string;
  recordedBy: { id: string; displayName: string } | null;
  previewedBy: { id: string; displayName: string } | null;
  approvedBy: { id: string; displayName: string } | null;
  closedBy: { id: string; displayName: string } | null;
};

const record = (s: Selected): PrivacyRequestRecord => ({
  row: s.r,
  customerName: s.customerName,
  recordedBy: ref(s.r.recordedById, s.recordedName),
  previewedBy: ref(s.r.previewedById, s.previewedName),
  approvedBy: ref(s.r.approvedById, s.approvedName),
  closedBy: ref(s.r.closedById, s.closedName),
});

const Cursor = z.object({ t: z.string(), i: z.uuid() });

export async function listPrivacyRequests(
  deps: Deps,
  actor: Actor,
  q: { status: 'open' | 'closed'; limit: number; cursor?: string | undefined },
) {
  requirePrivacyDesk(actor);
  const cursor = decodeCursor(q.cursor, Cursor);
  const open = q.status === 'open';
  // Open: the nearest deadline first; closed: the latest received first.
  const key = open ? privacyRequests.dueAt : privacyRequests.receivedAt;
  const after = cursor
    ? open
      ? or(gt(key, new Date(cursor.t)), and(eq(key, new Date(cursor.t)), gt(privacyRequests.id, cursor.i)))
      : or(lt(key, new Date(cursor.t)), and(eq(key, new Date(cursor.t)), lt(privacyRequests.id, cursor.i)))
    : undefined;
  const rows = await selectRequests(deps.db)
    .where(
      and(
        open
          ? inArray(privacyRequests.status, [...OPEN_PRIVACY_STATUSES])
          : notInArray(privacyRequests.status, [...OPEN_PRIVACY_STATUSES]),
        after,
      ),
    )
    .orderBy(...(open ? [asc(key), asc(privacyRequests.id)] : [desc(key), desc(privacyRequests.id)]))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(record),
    nextCursor:
      rows.length > q.limit && last
        ? encodeCursor({ t: (open ? last.r.dueAt : last.r.receivedAt).toISOString(), i: last.r.id })
        : null,
  };
}

export async function getPrivacyRequest(deps: Deps, actor: Actor, id: string) {
  requirePrivacyDesk(actor);
  const [row] = await selectRequests(deps.db).where(eq(privacyRequests.id, id));
  if (!row) throw notFound('Request');
  return record(row);
}

/** The signed-in customer's own requests, newest first. */
export async function listMyPrivacyRequests(deps: Deps, customerId: string) {
  return deps.db
    .select()
    .from(privacyRequests)
    .where(eq(privacyRequests.customerId, customerId))
    .orderBy(desc(privacyRequests.receivedAt), desc(privacyRequests.id))
    .limit(100);
}

/** The latest retention runs (one a day), newest first: what each removed or anonymised. */
export async function listRetentionRuns(deps: Deps, actor: Actor, limit: number) {
  requirePrivacyDesk(actor);
  return deps.db.select().from(retentionRuns).orderBy(desc(retentionRuns.runDate)).limit(limit);
}
