import { asc, eq, inArray, max, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { canAdminister, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { compileRules, orderProblems, type RoutingRule } from '../../core/routing/rules.js';
import { choosePolicy } from '../../core/sla/sla-policy.js';
import { loadPolicies } from '../sla/sla-config.js';
import type { DryRunBody, RoutingRuleBody } from '../../contracts/routing.js';
import {
  categories,
  customers,
  grades,
  routingRules,
  rowsFromRules,
  ruleFromRow,
  slaPolicies,
  teams,
  tickets,
} from '../../db/schema.js';
import { segmentWords } from '../../text/segmenter.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from '../tickets/load-ticket.js';
import { applyRules, categoryPathOf, currentRuleSet, type TicketDraft } from './route-ticket.js';
import { priorityWeightsOf } from '../admin/settings.js';

type RuleInput = z.output<typeof RoutingRuleBody>;

export async function listRules(deps: Deps): Promise<RoutingRule[]> {
  const rows = await deps.db.select().from(routingRules).orderBy(asc(routingRules.position));
  return rows.map(ruleFromRow);
}

/** Every queue, grade, category and SLA policy a rule names must exist: a typo would silently route nowhere. */
async function checkReferences(deps: Deps, rules: RuleInput[]) {
  const ids = rules.map((r) => r.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new AppError('request.invalid', `Rule id "${duplicate}" appears twice`, { field: 'rules' });
  const wanted = {
    queues: new Set(rules.flatMap((r) => (r.then.queue ? [r.then.queue] : []))),
    grades: new Set(rules.flatMap((r) => [...(r.when.grades ?? []), ...(r.then.grade ? [r.then.grade] : [])])),
    categories: new Set(rules.flatMap((r) => r.when.categories ?? [])),
    slaPolicies: new Set(rules.flatMap((r) => (r.then.slaPolicyHint ? [r.then.slaPolicyHint] : []))),
  };
  const existing = async <T extends { code: string }>(query: Promise<T[]>) => new Set((await query).map((r) => r.code));
  const [queues, gradeCodes, categoryCodes, policyIds] = await Promise.all([
    existing(
      deps.db
        .select({ code: teams.code })
        .from(teams)
        .where(inArray(teams.code, [...wanted.queues, ''])),
    ),
    existing(deps.db.select({ code: grades.code }).from(grades)),
    existing(
      deps.db
        .select({ code: categories.code })
        .from(categories)
        .where(inArray(categories.code, [...wanted.categories, ''])),
    ),
    existing(deps.db.select({ code: slaPolicies.id }).from(slaPolicies)),
  ]);
  const unknown = {
    queues: [...wanted.queues].filter((c) => !queues.has(c)),
    grades: [...wanted.grades].filter((c) => !gradeCodes.has(c)),
    categories: [...wanted.categories].filter((c) => !categoryCodes.has(c)),
    slaPolicies: [...wanted.slaPolicies].filter((c) => !policyIds.has(c)),
  };
  const problems = Object.entries(unknown).filter(([, list]) => list.length > 0);
  if (problems.length > 0) {
    throw new AppError(
      'routing.unknown_reference',
      `Rules name what does not exist: ${problems.map(([k, list]) => `${k} ${list.join(', ')}`).join('; ')}`,
      unknown,
    );
  }
}

/** Replaces the whole ordered rule set (the order of the list is the evaluation order). */
export async function replaceRules(deps: Deps, actor: Actor, rules: RuleInput[]): Promise<void> {
  requireAdmin(actor);
  await checkReferences(deps, rules);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.delete(routingRules);
    if (rules.length > 0) {
      await tx.insert(routingRules).values(rowsFromRules(rules).map((row) => ({ ...row, updatedAt: now })));
    }
  });
}

function requireAdmin(actor: Actor) {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators change routing rules');
}

/**
 * Creates or changes one rule. A changed rule keeps its place in the order; a new one is added
 * at the end (evaluated last), where it cannot take tickets from the rules before it.
 */
export async function saveRule(deps: Deps, actor: Actor, rule: RuleInput): Promise<RoutingRule[]> {
  requireAdmin(actor);
  await checkReferences(deps, [rule]);
  const now = deps.clock.now();
  const [row] = rowsFromRules([rule]);
  await deps.db.transaction(async (tx) => {
    // The lock on the existing rows orders concurrent edits and reorders of the set.
    await tx.select({ id: routingRules.id }).from(routingRules).for('update');
    const [last] = await tx.select({ position: max(routingRules.position) }).from(routingRules);
    await tx
      .insert(routingRules)
      .values({ ...row!, position: (last?.position ?? 0) + 10, updatedAt: now })
      .onConflictDoUpdate({
        target: routingRules.id,
        set: { enabled: row!.enabled, definition: row!.definition, updatedAt: now },
      });
  });
  return listRules(deps);
}

export async function deleteRule(deps: Deps, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  const deleted = await deps.db.delete(routingRules).where(eq(routingRules.id, id)).returning({ id: routingRules.id });
  if (deleted.length === 0) throw new AppError('resource.not_found', 'Routing rule was not found');
}

/**
 * Puts the whole set in a new evaluation order in one transaction. The list must name every
 * rule once: a list made before someone else added or removed a rule is refused (409), so no
 * rule is lost or resurrected by a stale screen.
 */
export async function reorderRules(deps: Deps, actor: Actor, ids: string[]): Promise<RoutingRule[]> {
  requireAdmin(actor);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const current = await tx
      .select({ id: routingRules.id })
      .from(routingRules)
      .orderBy(asc(routingRules.position))
      .for('update');
    const problems = orderProblems(
      current.map((r) => r.id),
      ids,
    );
    if (problems)
      throw new AppError(
        'routing.order_stale',
        'The order must list every current rule once; reload the rules and try again',
        problems,
      );
    for (const [i, id] of ids.entries()) {
      await tx
        .update(routingRules)
        .set({ position: (i + 1) * 10, updatedAt: now })
        .where(eq(routingRules.id, id));
    }
  });
  return listRules(deps);
}

/** What the rules (saved, or a candidate set) would do with a ticket, without changing anything. */
export async function dryRun(deps: Deps, actor: Actor, input: z.output<typeof DryRunBody>) {
  const draft = await draftOf(deps, actor, input);
  const saved = await currentRuleSet(deps.db);
  const ruleSet = input.rules
    ? { ...saved, stamp: 'candidate', compiled: compileRules(input.rules, segmentWords) }
    : saved;
  const routed = applyRules(ruleSet, draft, await priorityWeightsOf(deps.db, deps));
  // The policy creation would start the clocks of: the rule's hint, or the first that matches.
  const policy = choosePolicy(
    await loadPolicies(deps.db),
    {
      type: draft.type,
      categoryPath: draft.categoryPath,
      grade: routed.grade,
      tier: draft.customerTier,
      channel: draft.channel,
      region: draft.region,
    },
    routed.slaPolicyHint,
  );
  return {
    explanation: routed.explanation,
    matched: routed.decision.matched,
    queue: routed.decision.queue ? { code: routed.decision.queue, teamId: routed.teamId } : null,
    grade: routed.grade,
    priority: routed.priority,
    tags: routed.tags,
    slaPolicyHint: routed.slaPolicyHint,
    slaPolicy: policy ? { id: policy.id, name: policy.name } : null,
    words: segmentWords(`${draft.subject}\n${draft.description}`),
  };
}

async function draftOf(deps: Deps, actor: Actor, input: z.output<typeof DryRunBody>): Promise<TicketDraft> {
  if ('ticketId' in input) {
    const { ticket } = await loadTicketFor(deps.db, actor, input.ticketId);
    const [facts] = await deps.db
      .select({ tier: customers.tier, region: customers.region, categoryPath: categoryPathOf(ticket.categoryId) })
      .from(tickets)
      .innerJoin(customers, eq(customers.id, tickets.customerId))
      .where(eq(tickets.id, ticket.id));
    return { ...ticket, categoryPath: facts?.categoryPath ?? [], customerTier: facts!.tier, region: facts!.region };
  }
  let customer: { tier: TicketDraft['customerTier']; region: string | null } = {
    tier: input.customerTier ?? 'regular',
    region: input.region ?? null,
  };
  if (input.customerId) {
    const [row] = await deps.db
      .select({ tier: customers.tier, region: customers.region })
      .from(customers)
      .where(eq(customers.id, input.customerId));
    if (!row) throw new AppError('ticket.unknown_reference', 'No such customer', { field: 'customerId' });
    customer = { tier: row.tier, region: input.region ?? row.region };
  }
  let categoryPath: string[] = [];
  if (input.categoryId) {
    const [row] = await deps.db.select({ path: categoryPathOf(input.categoryId) }).from(sql`(select 1) as one`);
    if (!row?.path) throw new AppError('ticket.unknown_reference', 'No such category', { field: 'categoryId' });
    categoryPath = row.path;
  }
  return { ...input, categoryPath, customerTier: customer.tier, region: customer.region };
}
