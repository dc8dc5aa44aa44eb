import { describe, expect, it } from 'vitest';
import type { Actor } from '../auth/policy.js';
import { AppError } from '../errors/app-error.js';
import {
  applyWorkflow,
  articleAbilities,
  assertEffectivePeriod,
  isEffective,
  statusAfterSave,
  WORKFLOW_ACTIONS,
  type KnowledgeStatus,
  type WorkflowAction,
} from './workflow.js';

const author: Actor = { id: 'a', role: 'agent', teamId: null };
const editor: Actor = { id: 'e', role: 'expert', teamId: null };
const supervisor: Actor = { id: 's', role: 'supervisor', teamId: null };
const qa: Actor = { id: 'q', role: 'qa', teamId: null };

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
  return null;
};

describe('the knowledge review workflow', () => {
  it('takes a draft through review, approval and publication to the archive', () => {
    let status: KnowledgeStatus = 'draft';
    const facts = () => ({ status, workingAuthorId: author.id });
    status = applyWorkflow(author, facts(), 'submit');
    expect(status).toBe('in_review');
    status = applyWorkflow(editor, facts(), 'approve');
    expect(status).toBe('approved');
    status = applyWorkflow(editor, facts(), 'publish');
    expect(status).toBe('published');
    status = applyWorkflow(supervisor, facts(), 'archive');
    expect(status).toBe('archived');
  });

  it('refuses approval by the author of the version under review, even a supervisor', () => {
    expect(code(() => applyWorkflow(supervisor, { status: 'in_review', workingAuthorId: 's' }, 'approve'))).toBe(
      'knowledge.reviewer_is_author',
    );
    expect(applyWorkflow(supervisor, { status: 'in_review', workingAuthorId: 'a' }, 'approve')).toBe('approved');
  });

  it('leaves review and publication to experts, supervisors and admins', () => {
    expect(code(() => applyWorkflow(author, { status: 'in_review', workingAuthorId: 'x' }, 'approve'))).toBe(
      'auth.forbidden',
    );
    expect(code(() => applyWorkflow(author, { status: 'approved', workingAuthorId: 'x' }, 'publish'))).toBe(
      'auth.forbidden',
    );
    expect(code(() => applyWorkflow(qa, { status: 'draft', workingAuthorId: 'q' }, 'submit'))).toBe('auth.forbidden');
  });

  it('never publishes without approval, nor approves what was not submitted', () => {
    const table: [KnowledgeStatus, WorkflowAction][] = [
      ['draft', 'publish'],
      ['draft', 'approve'],
      ['in_review', 'publish'],
      ['published', 'approve'],
      ['archived', 'publish'],
      ['archived', 'archive'],
      ['in_review', 'submit'],
    ];
    for (const [status, action] of table)
      expect(
        code(() => applyWorkflow(supervisor, { status, workingAuthorId: 'x' }, action)),
        `${status} ${action}`,
      ).toBe('knowledge.invalid_transition');
  });

  it('sends a rejected version back to draft', () => {
    expect(applyWorkflow(editor, { status: 'in_review', workingAuthorId: 'a' }, 'reject')).toBe('draft');
    expect(applyWorkflow(editor, { status: 'approved', workingAuthorId: 'a' }, 'reject')).toBe('draft');
  });

  it('makes every save a draft, whatever the state, for those who write', () => {
    expect(statusAfterSave(author)).toBe('draft');
    expect(code(() => statusAfterSave(qa))).toBe('auth.forbidden');
  });

  it('offers exactly the actions the workflow would accept', () => {
    for (const status of ['draft', 'in_review', 'approved', 'published', 'archived'] as const)
      for (const actor of [author, editor, supervisor, qa]) {
        const facts = { status, workingAuthorId: author.id, live: status === 'published' };
        const offered = articleAbilities(actor, facts);
        for (const action of WORKFLOW_ACTIONS)
          expect(offered.includes(action), `${actor.role} ${status} ${action}`).toBe(
            code(() => applyWorkflow(actor, facts, action)) === null,
          );
      }
  });
});

describe('effective periods', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  it('counts an article in force from its start until (not at) its end', () => {
    expect(isEffective({ effectiveFrom: null, effectiveUntil: null }, now)).toBe(true);
    expect(isEffective({ effectiveFrom: '2026-06-02T00:00:00Z', effectiveUntil: null }, now)).toBe(false);
    expect(isEffective({ effectiveFrom: null, effectiveUntil: '2026-06-01T00:00:00Z' }, now)).toBe(false);
    expect(isEffective({ effectiveFrom: '2026-01-01T00:00:00Z', effectiveUntil: '2026-12-31T00:00:00Z' }, now)).toBe(
      true,
    );
  });
  it('refuses an end before the start', () => {
    expect(code(() => assertEffectivePeriod('2026-06-02T00:00:00Z', '2026-06-01T00:00:00Z'))).toBe(
      'knowledge.invalid_period',
    );
    expect(code(() => assertEffectivePeriod('2026-06-01T00:00:00Z', null))).toBeNull();
  });
});
