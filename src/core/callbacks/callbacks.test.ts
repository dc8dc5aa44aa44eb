import { describe, expect, it } from 'vitest';
import {
  assertCallbackAssignable,
  assertCanAttempt,
  assertOutcomeAllowed,
  assertRootCauseChoosable,
  complaintFromCallback,
  ROOT_CAUSE_CODE,
} from './callbacks.js';

const code = (f: () => void) => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  }
};
const no = { reached: false };
const yes = { reached: true };

describe('callback rules', () => {
  it('allows up to three attempts and refuses a fourth', () => {
    expect(code(() => assertCanAttempt('open', [no, no]))).toBeNull();
    expect(code(() => assertCanAttempt('open', [no, no, no]))).toBe('callback.attempts_exhausted');
  });
  it('refuses attempts and outcomes on a callback that is done', () => {
    expect(code(() => assertCanAttempt('done', []))).toBe('callback.closed');
    expect(code(() => assertOutcomeAllowed('done', [yes], 'resolved'))).toBe('callback.closed');
  });
  it('calls a customer unreachable only after three attempts that did not reach them', () => {
    expect(code(() => assertOutcomeAllowed('open', [no, no], 'unreachable'))).toBe('callback.attempts_remaining');
    expect(code(() => assertOutcomeAllowed('open', [no, no, yes], 'unreachable'))).toBe('callback.attempts_remaining');
    expect(code(() => assertOutcomeAllowed('open', [no, no, no], 'unreachable'))).toBeNull();
  });
  it('needs a reached attempt before a resolved or reopening outcome', () => {
    expect(code(() => assertOutcomeAllowed('open', [], 'resolved'))).toBe('callback.not_reached_yet');
    expect(code(() => assertOutcomeAllowed('open', [no], 'ticket_reopened'))).toBe('callback.not_reached_yet');
    expect(code(() => assertOutcomeAllowed('open', [no, yes], 'resolved'))).toBeNull();
    expect(code(() => assertOutcomeAllowed('open', [yes], 'ticket_reopened'))).toBeNull();
  });
  it('needs a reached attempt before opening a complaint', () => {
    expect(code(() => assertOutcomeAllowed('open', [no], 'complaint_opened'))).toBe('callback.not_reached_yet');
    expect(code(() => assertOutcomeAllowed('open', [yes], 'complaint_opened'))).toBeNull();
  });
  it('takes only an active root cause from the list', () => {
    const list = [
      { code: 'network', active: true },
      { code: 'weather', active: false },
    ];
    expect(code(() => assertRootCauseChoosable('network', list))).toBeNull();
    expect(code(() => assertRootCauseChoosable('weather', list))).toBe('callback.unknown_root_cause');
    expect(code(() => assertRootCauseChoosable('billing', list))).toBe('callback.unknown_root_cause');
  });
  it('accepts lower-case codes with underscores only', () => {
    expect(ROOT_CAUSE_CODE.test('service_attitude')).toBe(true);
    expect(ROOT_CAUSE_CODE.test('Network')).toBe(false);
    expect(ROOT_CAUSE_CODE.test('9lives')).toBe(false);
    expect(ROOT_CAUSE_CODE.test('网络')).toBe(false);
  });
  it("describes the complaint with the callback's notes, the reached attempts' notes and the remedy", () => {
    const c = complaintFromCallback({
      ticketNumber: 'T20261120-0001',
      ticketSubject: '宽带断网',
      rootCauseLabel: '网络质量',
      notes: '客户要求正式投诉',
      remedy: '赠送 10 元话费',
      attemptNotes: ['客户接听', ' '],
    });
    expect(c.subject).toBe('回访投诉 / Callback complaint T20261120-0001: 宽带断网');
    expect(c.description.split('\n')).toEqual([
      '原工单 / Original ticket: T20261120-0001',
      '根本原因 / Root cause: 网络质量',
      '客户要求正式投诉',
      '回访记录 / Attempt: 客户接听',
      '补救措施 / Remedy offered: 赠送 10 元话费',
    ]);
    expect(
      complaintFromCallback({
        ...c,
        ticketNumber: 'T1',
        ticketSubject: 'x'.repeat(300),
        rootCauseLabel: '',
        notes: '',
        remedy: 'r',
        attemptNotes: [],
      }).subject,
    ).toHaveLength(200);
  });
});

describe('assertCallbackAssignable', () => {
  const queue = 'team-callback';
  const agentOf = (teamId: string | null, over: Partial<{ role: string; active: boolean }> = {}) => ({
    role: 'agent',
    active: true,
    teamId,
    ...over,
  });

  it('gives an open callback to an active agent of the callback team, or back to the queue', () => {
    expect(() => assertCallbackAssignable('open', agentOf(queue), queue)).not.toThrow();
    expect(() => assertCallbackAssignable('open', 'unassign', queue)).not.toThrow();
  });

  it.each([
    ['another team', agentOf('team-frontline')],
    ['a deactivated agent', agentOf(queue, { active: false })],
    ['a supervisor', agentOf(queue, { role: 'supervisor' })],
    ['nobody known', null],
  ])('refuses %s with callback.invalid_assignee', (_, candidate) => {
    expect(() => assertCallbackAssignable('open', candidate, queue)).toThrow(
      expect.objectContaining({ code: 'callback.invalid_assignee' }),
    );
  });

  it('refuses any change to a callback that is done', () => {
    expect(() => assertCallbackAssignable('done', 'unassign', queue)).toThrow(
      expect.objectContaining({ code: 'callback.closed' }),
    );
  });
});
