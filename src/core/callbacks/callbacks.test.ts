import { describe, expect, it } from 'vitest';
import { assertCanAttempt, assertOutcomeAllowed } from './callbacks.js';

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
});
