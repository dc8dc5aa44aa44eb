import { describe, expect, it } from 'vitest';
import { checkSignature, sign } from './webhook-signature.js';

const secret = 'a-very-long-webhook-secret';
const now = new Date('2026-11-23T02:00:00Z');
const t = now.getTime() / 1000;
const body = Buffer.from('{"messageId":"m1","text":"宽带坏了"}');

describe('webhook signatures', () => {
  it('accepts a fresh, correct signature', () => {
    expect(checkSignature(secret, sign(secret, t, body), body, now)).toBe('ok');
  });
  it('refuses a body changed after signing', () => {
    expect(checkSignature(secret, sign(secret, t, body), Buffer.from('{"messageId":"m1","text":"x"}'), now)).toBe(
      'mismatch',
    );
  });
  it('refuses another secret', () => {
    expect(checkSignature(secret, sign('another-secret-entirely', t, body), body, now)).toBe('mismatch');
  });
  it('refuses a replay older than five minutes, and one from the future', () => {
    expect(checkSignature(secret, sign(secret, t - 301, body), body, now)).toBe('stale');
    expect(checkSignature(secret, sign(secret, t + 301, body), body, now)).toBe('stale');
  });
  it('refuses a missing or malformed header', () => {
    expect(checkSignature(secret, undefined, body, now)).toBe('malformed');
    expect(checkSignature(secret, 't=abc,v1=00', body, now)).toBe('malformed');
  });
});
