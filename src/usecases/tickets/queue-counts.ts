import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { canOpenQueue, type Actor } from '../../core/auth/policy.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import type { Db } from '../../db/client.js';
import { customers, subtasks, teams, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { visibleTo } from './visibility.js';

// The sidebar's counts: the open tickets of each saved view and queue the viewer may open.
//
// Most of what a viewer sees is whole queues, and a whole queue's counts are the same for every
// viewer; only the tickets that involve them personally in a queue they may not open (a VIP
// ticket assigned to them) and "Mine" are theirs alone. So the open backlog is counted by queue
// once and shared, and each viewer adds their own few tickets. Counting the backlog reads every
// open ticket (an index-only scan of tickets_open_idx: about 200 ms at 223,000 open); with a
// large backlog one count serves every viewer of the node for a few seconds instead of each
// viewer paying for it on every page.

export const DUE_SOON_MS = 3_600_000;

type QueueCountSharing = NonNullable<Deps['queueCountSharing']>;
export const DEFAULT_QUEUE_COUNT_SHARING: QueueCountSharing = {
  fromOpenTickets: 20_000,
  freshMs: 5_000,
  staleMs: 60_000,
};

type Counts = { open: number; unassigned: number; breached: number; dueSoon: number; vip: number };
const KINDS = ['open', 'unassigned', 'breached', 'dueSoon', 'vip'] as const;

const open = inArray(tickets.status, [...OPEN_STATUSES]);

/** The counts of a set of open tickets, as of `now`; the columns all come from tickets_open_idx. */
function countColumns(now: Date) {
  const soon = new Date(now.getTime() + DUE_SOON_MS);
  return {
    open: sql<number>`count(*)::int`,
    unassigned: sql<number>`(count(*) filter (where ${tickets.assigneeId} is null))::int`,
    breached: sql<number>`(count(*) filter (where ${tickets.slaDueAt} < ${now}))::int`,
    dueSoon: sql<number>`(count(*) filter (where ${tickets.slaDueAt} >= ${now} and ${tickets.slaDueAt} < ${soon}))::int`,
    // VIP customers as a set (customers_vip_idx) rather than a join or the ticket's tier column,
    // so that the counts need no table access.
    vip: sql<number>`(count(*) filter (where ${tickets.customerId} in (select ${customers.id} from ${customers} where ${customers.tier} = 'vip')))::int`,
  };
}

type Backlog = { at: number; total: number; byQueue: Map<string | null, Counts> };
const shared = new WeakMap<Db, { last?: Backlog; refreshing?: Promise<Backlog> }>();

async function countBacklog(deps: Deps): Promise<Backlog> {
  const now = deps.clock.now();
  const rows = await deps.db
    .select({ teamId: tickets.teamId, ...countColumns(now) })
    .from(tickets)
    .where(open)
    .groupBy(tickets.teamId);
  return {
    at: now.getTime(),
    total: rows.reduce((sum, r) => sum + r.open, 0),
    byQueue: new Map(rows.map((r) => [r.teamId, r])),
  };
}

/** Every open ticket counted by queue: exact for a small backlog, shared and a few seconds old for a large one. */
async function openBacklog(deps: Deps): Promise<Backlog> {
  const sharing = deps.queueCountSharing ?? DEFAULT_QUEUE_COUNT_SHARING;
  let entry = shared.get(deps.db);
  if (!entry) shared.set(deps.db, (entry = {}));
  const last = entry.last;
  if (!last || last.total < sharing.fromOpenTickets) return (entry.last = await countBacklog(deps));
  const refresh = () =>
    (entry.refreshing ??= countBacklog(deps)
      .then((backlog) => (entry.last = backlog))
      .finally(() => (entry.refreshing = undefined)));
  const age = deps.clock.now().getTime() - last.at;
  if (age < sharing.freshMs) return last;
  if (age < sharing.staleMs) {
    // A failed background count keeps the last one; the next request tries again.
    refresh().catch(() => undefined);
    return last;
  }
  return refresh();
}

/**
 * Department staff may open only their own queue, so every other queue's backlog is "outside" for
 * them. Rather than filter all of it, look only at the tickets that can involve them (implied by
 * `visibleTo`, so it changes no count): assigned to them, theirs as first contact, or handed to
 * their department, each found through its own index. For other roles the queues they may not open
 * are few (restricted ones) and read whole.
 */
function mayInvolve(actor: Actor): SQL | undefined {
  if (actor.role !== 'department') return undefined;
  return sql`${tickets.id} in (
    select ${tickets.id} from ${tickets} where ${tickets.assigneeId} = ${actor.id}
    union all select ${tickets.id} from ${tickets} where ${tickets.firstContactOwnerId} = ${actor.id}
    union all select ${subtasks.ticketId} from ${subtasks} where ${subtasks.teamId} = ${actor.teamId} and ${subtasks.status} = 'open')`;
}

const zero = (): Counts => ({ open: 0, unassigned: 0, breached: 0, dueSoon: 0, vip: 0 });
const add = (into: Counts, more: Counts | undefined) => {
  if (more) for (const k of KINDS) into[k] += more[k];
  return into;
};

export async function countQueues(deps: Deps, actor: Actor) {
  const now = deps.clock.now();
  const queues = await deps.db.select().from(teams).orderBy(asc(teams.code));
  const whole = queues.filter((team) => canOpenQueue(actor, team));
  const closed = queues.filter((team) => !whole.includes(team)).map((team) => team.id);
  const noQueueWhole = canOpenQueue(actor, null);
  const backlog = await openBacklog(deps);

  // The viewer's own tickets in queues they may not open (and, for department staff, those handed
  // to their department): the same visibility rule as every list, on the queues not counted whole.
  const outside = or(
    closed.length > 0 ? inArray(tickets.teamId, closed) : undefined,
    noQueueWhole ? undefined : isNull(tickets.teamId),
  );
  const theirs = outside
    ? await deps.db
        .select({ teamId: tickets.teamId, ...countColumns(now) })
        .from(tickets)
        .leftJoin(teams, eq(teams.id, tickets.teamId))
        .where(and(open, outside, visibleTo(actor), mayInvolve(actor)))
        .groupBy(tickets.teamId)
    : [];
  const [mine] = await deps.db
    .select({ n: sql<number>`count(*)::int` })
    .from(tickets)
    .where(and(open, eq(tickets.assigneeId, actor.id)));

  const byQueue = new Map<string | null, Counts>();
  for (const id of [...whole.map((team) => team.id), ...(noQueueWhole ? [null] : [])])
    byQueue.set(id, add(zero(), backlog.byQueue.get(id)));
  for (const row of theirs) byQueue.set(row.teamId, add(byQueue.get(row.teamId) ?? zero(), row));
  const total = [...byQueue.values()].reduce(add, zero());
  return {
    views: {
      all: total.open,
      mine: mine!.n,
      unassigned: total.unassigned,
      breached: total.breached,
      due_soon: total.dueSoon,
      vip: total.vip,
    },
    // The queues of the sidebar: those the viewer may open, by name, with their open tickets.
    teams: whole.map((team) => ({ teamId: team.id, name: team.name, open: byQueue.get(team.id)!.open })),
  };
}
