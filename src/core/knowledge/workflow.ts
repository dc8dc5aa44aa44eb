import { canReviewKnowledge, canWriteKnowledge, type Actor } from '../auth/policy.js';
import { AppError } from '../errors/app-error.js';

// The review workflow of knowledge articles and cases (知识库审核): draft → in review → approved →
// published → archived. The reviewer is never the author of the version under review. Editing a
// published article saves a new draft version while the published one stays live; every saved
// version is kept, and restoring one saves it again as a new draft.

export const KNOWLEDGE_KINDS = ['article', 'case'] as const;
export type KnowledgeKind = (typeof KNOWLEDGE_KINDS)[number];
export const KNOWLEDGE_STATUSES = ['draft', 'in_review', 'approved', 'published', 'archived'] as const;
export type KnowledgeStatus = (typeof KNOWLEDGE_STATUSES)[number];
export const KNOWLEDGE_AUDIENCES = ['internal', 'public'] as const;
export type KnowledgeAudience = (typeof KNOWLEDGE_AUDIENCES)[number];

/** What one version holds; cases fill symptom / cause / resolution (现象 / 原因 / 处理). */
export type KnowledgeContent = {
  title: string;
  /** Rich text (HTML), rendered through the allow-list sanitiser. */
  body: string;
  category: string;
  tags: string[];
  audience: KnowledgeAudience;
  /** Province or city the article applies to; null: everywhere. */
  region: string | null;
  effectiveFrom: string | null;
  effectiveUntil: string | null;
  symptom: string;
  cause: string;
  resolution: string;
};

export const WORKFLOW_ACTIONS = ['submit', 'approve', 'reject', 'publish', 'archive'] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/** Where each action may start from, and where it leads. */
const MOVES: Record<WorkflowAction, { from: readonly KnowledgeStatus[]; to: KnowledgeStatus }> = {
  submit: { from: ['draft'], to: 'in_review' },
  approve: { from: ['in_review'], to: 'approved' },
  reject: { from: ['in_review', 'approved'], to: 'draft' },
  publish: { from: ['approved'], to: 'published' },
  archive: { from: ['draft', 'in_review', 'approved', 'published'], to: 'archived' },
};

/** The facts a workflow decision needs: the working copy's state and who wrote it. */
export type WorkflowFacts = { status: KnowledgeStatus; workingAuthorId: string };

/** Whether `actor` may take `action` now (role, state, and reviewer ≠ author), without throwing. */
export function workflowRefusal(
  actor: Actor,
  facts: WorkflowFacts,
  action: WorkflowAction,
): 'forbidden' | 'invalid_transition' | 'reviewer_is_author' | null {
  const move = MOVES[action];
  if (action === 'submit' ? !canWriteKnowledge(actor) : !canReviewKnowledge(actor)) return 'forbidden';
  if (!move.from.includes(facts.status)) return 'invalid_transition';
  if (action === 'approve' && facts.workingAuthorId === actor.id) return 'reviewer_is_author';
  return null;
}

/** The state after `action`, or the reason it is refused (an AppError with a machine-readable code). */
export function applyWorkflow(actor: Actor, facts: WorkflowFacts, action: WorkflowAction): KnowledgeStatus {
  const refusal = workflowRefusal(actor, facts, action);
  switch (refusal) {
    case null:
      return MOVES[action].to;
    case 'forbidden':
      throw new AppError(
        'auth.forbidden',
        action === 'submit'
          ? 'Your role does not write knowledge articles'
          : 'Only knowledge editors (experts), supervisors and administrators review and publish',
      );
    case 'invalid_transition':
      throw new AppError('knowledge.invalid_transition', `Cannot ${action} an article that is ${facts.status}`, {
        status: facts.status,
        action,
      });
    case 'reviewer_is_author':
      throw new AppError('knowledge.reviewer_is_author', 'The author of a version cannot approve it', {
        authorId: facts.workingAuthorId,
      });
    default:
      return refusal satisfies never;
  }
}

/** Saving new content (an edit or a restore) always starts a new draft; the live version stays published. */
export function statusAfterSave(actor: Actor): KnowledgeStatus {
  if (!canWriteKnowledge(actor)) throw new AppError('auth.forbidden', 'Your role does not write knowledge articles');
  return 'draft';
}

export const ARTICLE_ABILITIES = [...WORKFLOW_ACTIONS, 'edit', 'restore', 'verify'] as const;
export type ArticleAbility = (typeof ARTICLE_ABILITIES)[number];

/** What `actor` may do to an article now, so the screen offers nothing the server would refuse. */
export function articleAbilities(actor: Actor, facts: WorkflowFacts & { live: boolean }): ArticleAbility[] {
  const write = canWriteKnowledge(actor);
  const granted: Record<Exclude<ArticleAbility, WorkflowAction>, boolean> = {
    edit: write,
    restore: write,
    verify: canReviewKnowledge(actor) && facts.live,
  };
  return ARTICLE_ABILITIES.filter((a) =>
    a in granted ? granted[a as keyof typeof granted] : workflowRefusal(actor, facts, a as WorkflowAction) === null,
  );
}

/** Dates in order: an article cannot stop being effective before it starts. */
export function assertEffectivePeriod(from: string | null, until: string | null): void {
  if (from && until && Date.parse(until) <= Date.parse(from))
    throw new AppError('knowledge.invalid_period', 'The end of the effective period must come after its start', {
      field: 'effectiveUntil',
    });
}

/** Whether a live article is in force at `now` (a tariff article expires with its plan). */
export function isEffective(
  a: { effectiveFrom: Date | string | null; effectiveUntil: Date | string | null },
  now: Date,
): boolean {
  const t = now.getTime();
  const from = a.effectiveFrom === null ? null : new Date(a.effectiveFrom).getTime();
  const until = a.effectiveUntil === null ? null : new Date(a.effectiveUntil).getTime();
  return (from === null || from <= t) && (until === null || t < until);
}
