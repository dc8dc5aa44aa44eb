import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { isMacro, planMacro, planMacroOrThrow, type MacroTicketFacts } from './macro.js';

const ticket = (over: Partial<MacroTicketFacts> = {}): MacroTicketFacts => ({
  status: 'in_progress',
  hasAssignee: true,
  hasPublicReply: false,
  openBlockingSubtasks: 0,
  tags: ['宽带'],
  grade: 'general',
  ...over,
});

describe('macros', () => {
  it('is a macro only when it acts on the ticket', () => {
    expect(isMacro({})).toBe(false);
    expect(isMacro({ note: '  ' })).toBe(false);
    expect(isMacro({ addTags: ['上门'] })).toBe(true);
    expect(isMacro({ status: 'wait_customer' })).toBe(true);
  });

  it('plans tags added once, a changed grade, the note and the status move', () => {
    const result = planMacro(
      { status: 'wait_customer', addTags: ['宽带', '上门'], grade: 'major', note: '已预约上门' },
      ticket(),
      { willReply: false },
    );
    expect(result).toEqual({
      ok: true,
      plan: { edit: { tags: ['宽带', '上门'], grade: 'major' }, note: '已预约上门', status: 'wait_customer' },
    });
  });

  it('leaves out edits that change nothing', () => {
    expect(planMacro({ addTags: ['宽带'], grade: 'general' }, ticket(), { willReply: false })).toEqual({
      ok: true,
      plan: { edit: null, note: null, status: null },
    });
  });

  it('refuses a status change the state machine does not allow from here', () => {
    expect(planMacro({ status: 'close' }, ticket(), { willReply: false })).toEqual({
      ok: false,
      reason: 'invalid_transition',
    });
    expect(() => planMacroOrThrow({ status: 'start', addTags: ['x'] }, ticket(), { willReply: false })).toThrow(
      expect.objectContaining({
        code: 'macro.not_applicable',
        details: expect.objectContaining({ reason: 'invalid_transition', action: 'start' }),
      }) as AppError,
    );
  });

  it('resolves only with a public reply: one already sent or the one going out with the macro', () => {
    expect(planMacro({ status: 'resolve' }, ticket(), { willReply: false })).toEqual({
      ok: false,
      reason: 'reply_required',
    });
    expect(planMacro({ status: 'resolve' }, ticket(), { willReply: true }).ok).toBe(true);
    expect(
      planMacro({ status: 'resolve' }, ticket({ hasPublicReply: true, openBlockingSubtasks: 1 }), { willReply: false }),
    ).toEqual({
      ok: false,
      reason: 'blocking_subtasks_open',
    });
  });

  it('refuses edits and notes on a closed ticket', () => {
    expect(planMacro({ addTags: ['x'] }, ticket({ status: 'closed' }), { willReply: false })).toEqual({
      ok: false,
      reason: 'ticket_not_open',
    });
    expect(planMacro({ note: 'n' }, ticket({ status: 'closed' }), { willReply: false })).toEqual({
      ok: false,
      reason: 'ticket_not_open',
    });
  });
});
