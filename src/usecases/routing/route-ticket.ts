import { asc, sql, type AnyColumn, type Placeholder } from 'drizzle-orm';
import { applyActions, type ActionTicket } from '../../core/tickets/actions.js';
import {
  compileRules,
  decisionActions,
  evaluateRules,
  explainDecision,
  type CompiledRule,
  type RoutingDecision,
} from '../../core/routing/rules.js';
import type { PriorityWeights } from '../../core/tickets/priority.js';
import type { Channel, CustomerTier, Priority, TicketType } from '../../core/tickets/types.js';
import type { Db, Tx } from '../../db/client.js';
import { tableStamp } from '../../db/table-stamp.js';
import { categories, grades, routingRules, ruleFromRow, teams } from '../../db/schema.js';
import { segmentWords } from '../../text/segmenter.js';

type RuleSet = {
  stamp: string;
  compiled: CompiledRule[];
  teamIds: Map<string, string>;
  gradeRanks: Map<string, number>;
};

// Compiled rules are cached per database and reloaded when the stamp changes. The stamp comes
// back in the query the caller already makes, so an unchanged rule set costs no round trip, and
// an edit on any node is seen by every node's next ticket.
const cache = new WeakMap<Db, RuleSet>();

/** A scalar subquery that changes whenever the rule set is saved. */
export const rulesStamp = tableStamp(routingRules);

/** The category's code followed by its ancestors' codes, as a scalar subquery (of an id, or of a ticket's category column). */
export const categoryPathOf = (categoryId: string | null | AnyColumn | Placeholder) =>
  categoryId === null
    ? sql<string[] | null>`null::text[]`
    : sql<string[] | null>`(with recursive up(id, parent_id, code, depth) as (
        select id, parent_id, code, 0 from ${categories} where id = ${categoryId}
        union all select c.id, c.parent_id, c.code, up.depth + 1 from ${categories} c join up on c.id = up.parent_id where up.depth < 10
      ) select array_agg(code order by depth) from up)`;

/** The rule set for `stamp`, from the cache or read through `executor` (the caller's transaction, or the database). */
export async function loadRuleSet(db: Db, executor: Db | Tx, stamp: string): Promise<RuleSet> {
  const cached = cache.get(db);
  if (cached?.stamp === stamp) return cached;
  // One after the other: a transaction's connection runs one query at a time.
  const rows = await executor.select().from(routingRules).orderBy(asc(routingRules.position));
  const teamRows = await executor.select({ id: teams.id, code: teams.code }).from(teams);
  const gradeRows = await executor.select({ code: grades.code, rank: grades.rank }).from(grades);
  const rules = rows.map(ruleFromRow);
  const set: RuleSet = {
    stamp,
    compiled: compileRules(rules, segmentWords),
    teamIds: new Map(teamRows.map((t) => [t.code, t.id])),
    gradeRanks: new Map(gradeRows.map((g) => [g.code, g.rank])),
  };
  cache.set(db, set);
  return set;
}

/** The saved rule set as it is now, outside any ticket's transaction (dry runs, benchmarks). */
export async function currentRuleSet(db: Db): Promise<RuleSet> {
  const [row] = await db.select({ stamp: rulesStamp }).from(sql`(select 1) as one`);
  return loadRuleSet(db, db, row!.stamp);
}

export type TicketDraft = {
  type: TicketType;
  categoryPath: string[];
  grade: string;
  channel: Channel;
  customerTier: CustomerTier;
  region: string | null;
  tags: string[];
  subject: string;
  description: string;
};

export type Routed = {
  decision: RoutingDecision;
  explanation: string[];
  /** null: no rule chose a queue (or its team is gone); the caller keeps its default. */
  teamId: string | null;
  grade: string;
  priority: Priority;
  /** The priority a rule set, kept on the ticket so that later edits cannot undo it; null: none. */
  priorityFloor: Priority | null;
  tags: string[];
  slaPolicyHint: string | null;
  /** Set when no rule chose a queue and the ticket went to its channel's intake queue (team code). */
  intakeQueue?: string | null;
};

/** A new ticket before any rule: in no queue, with the facts it was opened with. */
const newTicketFacts = (draft: TicketDraft): ActionTicket => ({
  type: draft.type,
  categoryId: null,
  grade: draft.grade,
  subject: draft.subject,
  description: draft.description,
  details: {},
  tags: draft.tags,
  contactNumber: null,
  priority: 4,
  priorityFloor: null,
  teamId: null,
  assigneeId: null,
  supportLevel: 1,
  status: 'new',
});

/** Applies the rule set to a new ticket: queue, grade (only up), priority (only up), tags, SLA hint. */
export function applyRules(ruleSet: RuleSet, draft: TicketDraft, weights?: PriorityWeights): Routed {
  const decision = evaluateRules(
    ruleSet.compiled,
    {
      type: draft.type,
      categoryPath: draft.categoryPath,
      grade: draft.grade,
      channel: draft.channel,
      customerTier: draft.customerTier,
      region: draft.region,
      tags: draft.tags,
      words: segmentWords(`${draft.subject}\n${draft.description}`),
    },
    ruleSet.gradeRanks,
  );
  const teamId = decision.queue ? (ruleSet.teamIds.get(decision.queue) ?? null) : null;
  const { ticket } = applyActions(newTicketFacts(draft), decisionActions(decision, teamId), {
    tier: draft.customerTier,
    gradeRank: (code) => ruleSet.gradeRanks.get(code),
    weights,
  });
  return {
    decision,
    explanation: explainDecision(decision),
    teamId: ticket.teamId,
    grade: ticket.grade,
    priority: ticket.priority,
    priorityFloor: ticket.priorityFloor,
    tags: ticket.tags,
    slaPolicyHint: decision.slaPolicyHint,
  };
}

/** The timeline entry that explains a routing decision. */
export const routedEventData = (routed: Routed) => ({
  explanation: routed.explanation,
  matched: routed.decision.matched,
  queue: routed.decision.queue,
  teamId: routed.teamId,
  grade: routed.grade,
  priority: routed.priority,
  addedTags: routed.decision.addedTags,
  slaPolicyHint: routed.slaPolicyHint,
  ...(routed.intakeQueue ? { intakeQueue: routed.intakeQueue } : {}),
});
