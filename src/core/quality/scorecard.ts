import { AppError } from '../errors/app-error.js';

// Quality-inspection scorecards (质检评分表, issue 14) and the review score. Pure: the use cases
// load a published version, hand the inspector's item scores here and store what comes back.

/**
 * `normal` items are weighted into the score; a `critical` item (红线) scored below its threshold
 * makes the whole review 0 (it may also carry a weight); a `bonus` item adds up to `bonusPoints`
 * on top of the weighted average (the total is capped at 100).
 */
export const ITEM_KINDS = ['normal', 'critical', 'bonus'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export type Label = { zh: string; en: string };

export type ScorecardItem = {
  id: string;
  label: Label;
  kind: ItemKind;
  /** Relative weight in Σ(score × weight) / Σ weights (ignored for bonus items). */
  weight: number;
  /** The raw scale the inspector scores on: 0 … maxPoints (1 = a yes/no item). */
  maxPoints: number;
  /** Critical items: the normalised score (0–100) below which the review fails. */
  threshold?: number | undefined;
  /** Bonus items: points added at full marks (pro rata below). */
  bonusPoints?: number | undefined;
};

export type ScorecardSection = { id: string; label: Label; items: ScorecardItem[] };
export type ScorecardDefinition = { sections: ScorecardSection[] };

export const DEFAULT_PASS_MARK = 80;
export const MAX_BONUS_POINTS = 20;

export const itemsOf = (def: ScorecardDefinition): ScorecardItem[] => def.sections.flatMap((s) => s.items);

/** Every problem with a scorecard definition (empty: it can be published). */
export function scorecardProblems(def: ScorecardDefinition): string[] {
  const problems: string[] = [];
  const items = itemsOf(def);
  const seen = new Set<string>();
  for (const id of [...def.sections.map((s) => `section:${s.id}`), ...items.map((i) => i.id)]) {
    if (seen.has(id)) problems.push(`duplicate id ${id}`);
    seen.add(id);
  }
  for (const s of def.sections) if (s.items.length === 0) problems.push(`section ${s.id} has no items`);
  for (const i of items) {
    if (!(i.maxPoints >= 1)) problems.push(`item ${i.id}: maxPoints must be at least 1`);
    if (!(i.weight >= 0)) problems.push(`item ${i.id}: weight must not be negative`);
    if (i.kind === 'critical' && (i.threshold === undefined || i.threshold <= 0 || i.threshold > 100))
      problems.push(`item ${i.id}: a critical item needs a threshold above 0 and at most 100`);
    if (i.kind === 'bonus' && (i.bonusPoints === undefined || i.bonusPoints <= 0 || i.bonusPoints > MAX_BONUS_POINTS))
      problems.push(`item ${i.id}: a bonus item needs bonusPoints above 0 and at most ${MAX_BONUS_POINTS}`);
  }
  if (!items.some((i) => i.kind !== 'bonus' && i.weight > 0))
    problems.push('at least one normal or critical item needs a weight above 0');
  return problems;
}

export function assertPublishable(def: ScorecardDefinition): void {
  const problems = scorecardProblems(def);
  if (problems.length > 0)
    throw new AppError('qa.scorecard_invalid', `The scorecard cannot be used: ${problems.join('; ')}`, { problems });
}

/** What the inspector gave one item: raw points on the item's scale and a comment. */
export type ItemScoreInput = { itemId: string; points: number; comment?: string | undefined };

export type ScoredItem = {
  itemId: string;
  points: number;
  /** points / maxPoints × 100. */
  normalised: number;
  comment: string;
  /** A critical item scored below its threshold. */
  criticalFailed: boolean;
};

export type ReviewScore = {
  items: ScoredItem[];
  /** Σ(normalised × weight) / Σ weights over normal and critical items, before bonus. */
  weighted: number;
  /** Points added by bonus items. */
  bonus: number;
  /** 0 when a critical item failed; otherwise min(100, weighted + bonus); one decimal. */
  score: number;
  criticalFailed: boolean;
  passed: boolean;
};

const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * The review score of one scorecard version: every item must be scored exactly once, on its own
 * scale. Refuses (422 qa.scores_invalid) with every problem listed.
 */
export function scoreReview(def: ScorecardDefinition, input: readonly ItemScoreInput[], passMark: number): ReviewScore {
  const items = itemsOf(def);
  const byId = new Map(input.map((s) => [s.itemId, s]));
  const problems: string[] = [];
  if (byId.size !== input.length) problems.push('an item is scored twice');
  for (const s of input) if (!items.some((i) => i.id === s.itemId)) problems.push(`unknown item ${s.itemId}`);
  for (const i of items) {
    const s = byId.get(i.id);
    if (!s) problems.push(`item ${i.id} is not scored`);
    else if (!Number.isFinite(s.points) || s.points < 0 || s.points > i.maxPoints)
      problems.push(`item ${i.id} must be scored 0–${i.maxPoints}`);
  }
  if (problems.length > 0)
    throw new AppError('qa.scores_invalid', `The scores do not fit the scorecard: ${problems.join('; ')}`, {
      problems,
    });

  const scored = items.map((i): ScoredItem => {
    const s = byId.get(i.id)!;
    const normalised = (s.points / i.maxPoints) * 100;
    return {
      itemId: i.id,
      points: s.points,
      normalised: round1(normalised),
      comment: s.comment?.trim() ?? '',
      criticalFailed: i.kind === 'critical' && normalised < (i.threshold ?? 100),
    };
  });
  let sum = 0;
  let weights = 0;
  let bonus = 0;
  for (const item of items) {
    const n = (byId.get(item.id)!.points / item.maxPoints) * 100;
    if (item.kind === 'bonus') bonus += (n / 100) * (item.bonusPoints ?? 0);
    else {
      sum += n * item.weight;
      weights += item.weight;
    }
  }
  const weighted = weights > 0 ? sum / weights : 0;
  const criticalFailed = scored.some((s) => s.criticalFailed);
  const score = criticalFailed ? 0 : round1(Math.min(100, weighted + bonus));
  return {
    items: scored,
    weighted: round1(weighted),
    bonus: round1(bonus),
    score,
    criticalFailed,
    passed: !criticalFailed && score >= passMark,
  };
}

/**
 * The handbooks' default scorecard: service conduct (greeting and closing script, attitude),
 * handling (problem-solving logic, process compliance, accuracy), three red lines, and a bonus.
 */
export const DEFAULT_SCORECARD: ScorecardDefinition = {
  sections: [
    {
      id: 'conduct',
      label: { zh: '服务规范', en: 'Service conduct' },
      items: [
        {
          id: 'greeting',
          label: { zh: '开场白规范', en: 'Greeting script' },
          kind: 'normal',
          weight: 10,
          maxPoints: 10,
        },
        { id: 'closing', label: { zh: '结束语规范', en: 'Closing script' }, kind: 'normal', weight: 10, maxPoints: 10 },
        { id: 'attitude', label: { zh: '服务态度', en: 'Attitude' }, kind: 'normal', weight: 20, maxPoints: 10 },
      ],
    },
    {
      id: 'handling',
      label: { zh: '业务处理', en: 'Handling' },
      items: [
        {
          id: 'logic',
          label: { zh: '问题解决逻辑', en: 'Problem-solving logic' },
          kind: 'normal',
          weight: 25,
          maxPoints: 10,
        },
        {
          id: 'process',
          label: {
            zh: '流程合规（及时建单、正确升级）',
            en: 'Process compliance (ticket in time, escalated correctly)',
          },
          kind: 'normal',
          weight: 20,
          maxPoints: 10,
        },
        { id: 'accuracy', label: { zh: '信息准确', en: 'Accuracy' }, kind: 'normal', weight: 15, maxPoints: 10 },
      ],
    },
    {
      id: 'red_lines',
      label: { zh: '红线项', en: 'Critical items' },
      items: [
        {
          id: 'identity_check',
          label: { zh: '账户变更前核验身份', en: 'Identity verified before account changes' },
          kind: 'critical',
          weight: 0,
          maxPoints: 1,
          threshold: 100,
        },
        {
          id: 'tariff_statement',
          label: { zh: '资费告知无误导', en: 'No tariff mis-statement' },
          kind: 'critical',
          weight: 0,
          maxPoints: 1,
          threshold: 100,
        },
        {
          id: 'privacy',
          label: { zh: '未泄露客户个人信息', en: 'No disclosure of personal data' },
          kind: 'critical',
          weight: 0,
          maxPoints: 1,
          threshold: 100,
        },
      ],
    },
    {
      id: 'bonus',
      label: { zh: '加分项', en: 'Bonus' },
      items: [
        {
          id: 'beyond',
          label: { zh: '超出客户期望的服务', en: 'Service beyond expectations' },
          kind: 'bonus',
          weight: 0,
          maxPoints: 1,
          bonusPoints: 5,
        },
      ],
    },
  ],
};
