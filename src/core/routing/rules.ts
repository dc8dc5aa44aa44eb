import type { Channel, CustomerTier, Priority, TicketType } from '../tickets/types.js';
import type { TicketChangeAction } from '../tickets/actions.js';

// Routing rules are data: an ordered list an admin edits. Every rule whose conditions hold
// contributes its actions; for a single-valued action (queue, SLA policy hint) the first rule in
// order wins, grades and priorities only ever go up (a later rule cannot calm an urgent case
// down), tags add up. A rule with `stop` ends the evaluation. Nothing here does I/O: the caller
// hands in the ticket's facts with its text already segmented into words.

export type RuleConditions = {
  types?: TicketType[];
  /** Category codes; a rule on a parent category also matches its children. */
  categories?: string[];
  grades?: string[];
  channels?: Channel[];
  customerTiers?: CustomerTier[];
  regions?: string[];
  /** Any of these tags. */
  tags?: string[];
  /** Any of these words or phrases in subject or description, matched on segmented words. */
  keywords?: string[];
};

export type RuleActions = {
  /** Team (queue) code. */
  queue?: string;
  priority?: Priority;
  grade?: string;
  tags?: string[];
  slaPolicyHint?: string;
};

export type RoutingRule = {
  id: string;
  name: string;
  enabled: boolean;
  when: RuleConditions;
  then: RuleActions;
  stop?: boolean;
};

export type RoutingFacts = {
  type: TicketType;
  /** The ticket's category code followed by its ancestors' codes. */
  categoryPath: readonly string[];
  grade: string;
  channel: Channel;
  customerTier: CustomerTier;
  region: string | null;
  tags: readonly string[];
  /** Subject and description as segmented words, in order. */
  words: readonly string[];
};

/** Grade codes by rank, lowest first: a rule's grade is applied only if it raises the grade. */
export type GradeRanks = ReadonlyMap<string, number>;

/** What a matched rule changed, as data, so each reader can put it in their own language. */
export type RuleEffect =
  | { kind: 'queue'; queue: string }
  | { kind: 'grade'; from: string; to: string }
  | { kind: 'priority'; priority: Priority }
  | { kind: 'tag'; tag: string }
  | { kind: 'sla_policy'; policy: string };

export type RuleMatch = { ruleId: string; name: string; effects: RuleEffect[] };

export type RoutingDecision = {
  queue: string | null;
  priority: Priority | null;
  grade: string | null;
  addedTags: string[];
  slaPolicyHint: string | null;
  matched: RuleMatch[];
};

/**
 * The decision as ticket actions (the vocabulary escalations and edits share): the queue (when
 * its team exists), the grade only up, the priority as a floor, the tags.
 */
export function decisionActions(d: RoutingDecision, teamId: string | null): TicketChangeAction[] {
  return [
    ...(teamId ? [{ kind: 'move_to_queue', teamId } as const] : []),
    ...(d.grade ? [{ kind: 'raise_grade', grade: d.grade } as const] : []),
    ...(d.priority ? [{ kind: 'priority_floor', priority: d.priority } as const] : []),
    ...d.addedTags.map((tag) => ({ kind: 'add_tag', tag }) as const),
  ];
}

/** A rule prepared for fast evaluation: sets for membership, keywords as word sequences. */
export type CompiledRule = RoutingRule & {
  sets: Partial<Record<Exclude<keyof RuleConditions, 'keywords'>, ReadonlySet<string>>>;
  phrases: string[][] | null;
};

export function compileRules(rules: readonly RoutingRule[], segment: (text: string) => string[]): CompiledRule[] {
  return rules
    .filter((r) => r.enabled)
    .map((rule) => {
      const sets: CompiledRule['sets'] = {};
      for (const key of ['types', 'categories', 'grades', 'channels', 'customerTiers', 'regions', 'tags'] as const) {
        const values = rule.when[key];
        if (values && values.length > 0) sets[key] = new Set<string>(values);
      }
      const keywords = rule.when.keywords?.filter((k) => k.trim() !== '') ?? [];
      const phrases = keywords.length > 0 ? keywords.map((k) => segment(k)).filter((p) => p.length > 0) : null;
      return { ...rule, sets, phrases };
    });
}

function containsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

export function ruleMatches(rule: CompiledRule, facts: RoutingFacts): boolean {
  const { sets } = rule;
  if (sets.types && !sets.types.has(facts.type)) return false;
  if (sets.categories && !facts.categoryPath.some((c) => sets.categories!.has(c))) return false;
  if (sets.grades && !sets.grades.has(facts.grade)) return false;
  if (sets.channels && !sets.channels.has(facts.channel)) return false;
  if (sets.customerTiers && !sets.customerTiers.has(facts.customerTier)) return false;
  if (sets.regions && (facts.region === null || !sets.regions.has(facts.region))) return false;
  if (sets.tags && !facts.tags.some((t) => sets.tags!.has(t))) return false;
  if (rule.phrases && !rule.phrases.some((p) => containsPhrase(facts.words, p))) return false;
  return true;
}

export function evaluateRules(
  rules: readonly CompiledRule[],
  facts: RoutingFacts,
  gradeRanks: GradeRanks,
): RoutingDecision {
  const decision: RoutingDecision = {
    queue: null,
    priority: null,
    grade: null,
    addedTags: [],
    slaPolicyHint: null,
    matched: [],
  };
  let grade = facts.grade;
  const tags = new Set(facts.tags);
  for (const rule of rules) {
    if (!ruleMatches(rule, { ...facts, grade, tags: [...tags] })) continue;
    const effects: RuleEffect[] = [];
    const { then } = rule;
    if (then.queue && decision.queue === null) {
      decision.queue = then.queue;
      effects.push({ kind: 'queue', queue: then.queue });
    }
    if (then.grade && (gradeRanks.get(then.grade) ?? -1) > (gradeRanks.get(grade) ?? -1)) {
      effects.push({ kind: 'grade', from: grade, to: then.grade });
      grade = then.grade;
      decision.grade = grade;
    }
    if (then.priority && (decision.priority === null || then.priority < decision.priority)) {
      decision.priority = then.priority;
      effects.push({ kind: 'priority', priority: then.priority });
    }
    for (const tag of then.tags ?? []) {
      if (tags.has(tag)) continue;
      tags.add(tag);
      decision.addedTags.push(tag);
      effects.push({ kind: 'tag', tag });
    }
    if (then.slaPolicyHint && decision.slaPolicyHint === null) {
      decision.slaPolicyHint = then.slaPolicyHint;
      effects.push({ kind: 'sla_policy', policy: then.slaPolicyHint });
    }
    decision.matched.push({ ruleId: rule.id, name: rule.name, effects });
    if (rule.stop) break;
  }
  return decision;
}

/** One line per matched rule, for the timeline: "matched rule 'VIP complaint' → queue vip-desk". */
export function explainDecision(decision: RoutingDecision): string[] {
  if (decision.matched.length === 0) return ['no routing rule matched; the ticket stays in the creator’s queue'];
  return decision.matched.map(
    (m) =>
      `matched rule '${m.name}'${m.effects.length > 0 ? ` → ${m.effects.map(describeEffect).join(', ')}` : ' (no change: already applied by an earlier rule)'}`,
  );
}

function describeEffect(e: RuleEffect): string {
  switch (e.kind) {
    case 'queue':
      return `queue → ${e.queue}`;
    case 'grade':
      return `grade ${e.from} → ${e.to}`;
    case 'priority':
      return `priority → P${e.priority}`;
    case 'tag':
      return `tag +${e.tag}`;
    case 'sla_policy':
      return `SLA policy → ${e.policy}`;
  }
}

/**
 * Whether `proposed` is the current rule set in a new order: every current rule exactly once and
 * nothing else. Anything else means the list was edited meanwhile (or is wrong): the caller
 * reloads rather than saving an order that drops or invents a rule.
 */
export function orderProblems(
  current: readonly string[],
  proposed: readonly string[],
): { missing: string[]; unknown: string[]; duplicates: string[] } | null {
  const known = new Set(current);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of proposed) (seen.has(id) ? duplicates : seen).add(id);
  const missing = current.filter((id) => !seen.has(id));
  const unknown = [...seen].filter((id) => !known.has(id));
  return missing.length || unknown.length || duplicates.size ? { missing, unknown, duplicates: [...duplicates] } : null;
}

/** The handbook defaults, seeded on first start; admins edit them through the API. */
export const DEFAULT_ROUTING_RULES: RoutingRule[] = [
  {
    id: 'high-risk-words',
    name: '高风险投诉 High-risk words',
    enabled: true,
    when: { keywords: ['工信部', '通管局', '媒体', '曝光', '律师', '起诉', '12300', '退费', '消协'] },
    then: { grade: 'urgent', queue: 'supervisors', tags: ['high-risk'] },
  },
  {
    id: 'vip-customers',
    name: 'VIP 客户 VIP customers',
    enabled: true,
    when: { customerTiers: ['vip'] },
    then: { queue: 'vip-desk', tags: ['vip'] },
  },
  {
    id: 'network-faults',
    name: '网络故障 Network faults',
    enabled: true,
    when: { types: ['fault'], categories: ['fault-network'] },
    then: { queue: 'network-ops' },
  },
  {
    id: 'network-quality-complaints',
    name: '网络质量投诉 Network quality complaints',
    enabled: true,
    when: { types: ['complaint'], categories: ['complaint-network'] },
    then: { queue: 'network-ops' },
  },
  {
    id: 'billing',
    name: '资费与账单 Tariff and billing',
    enabled: true,
    when: { categories: ['inquiry-tariff', 'inquiry-bill', 'complaint-billing'] },
    then: { queue: 'billing' },
  },
];
