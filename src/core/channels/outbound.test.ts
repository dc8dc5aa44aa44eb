import { describe, expect, it } from 'vitest';
import { MAX_DELIVERY_ATTEMPTS, nextAttemptDelayMs, replyRoute } from './outbound.js';

const contacts = { msisdn: '13800138000', wechat: 'o-wx-1', app: null, email: 'zhang@example.cn' };

describe('reply routing', () => {
  it('answers through the channel the customer used', () => {
    expect(replyRoute({ customerChannel: 'wechat', contacts })).toEqual({ channel: 'wechat', recipient: 'o-wx-1' });
    expect(replyRoute({ customerChannel: 'email', contacts })).toEqual({
      channel: 'email',
      recipient: 'zhang@example.cn',
    });
  });

  it('falls back to SMS for calls and shop visits, and when the used channel has no contact', () => {
    expect(replyRoute({ customerChannel: 'hotline', contacts })).toEqual({ channel: 'sms', recipient: '13800138000' });
    expect(replyRoute({ customerChannel: 'app', contacts })).toEqual({ channel: 'sms', recipient: '13800138000' });
  });

  it('uses the channel the agent chose, and says why when that is impossible', () => {
    expect(replyRoute({ requested: 'email', customerChannel: 'sms', contacts })).toEqual({
      channel: 'email',
      recipient: 'zhang@example.cn',
    });
    expect(replyRoute({ requested: 'app', customerChannel: 'sms', contacts })).toEqual({
      channel: null,
      reason: 'The customer has no app contact',
    });
    expect(replyRoute({ requested: 'hotline', customerChannel: 'sms', contacts })).toMatchObject({ channel: null });
  });

  it('leaves the reply to the portal when there is no contact at all', () => {
    expect(
      replyRoute({ customerChannel: 'web', contacts: { msisdn: null, wechat: null, app: null, email: null } }),
    ).toMatchObject({ channel: null });
  });
});

describe('delivery retries', () => {
  it('backs off exponentially up to an hour, then gives up', () => {
    expect([1, 2, 3, 4].map(nextAttemptDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(nextAttemptDelayMs(MAX_DELIVERY_ATTEMPTS - 1)).toBeLessThanOrEqual(3_600_000);
    expect(nextAttemptDelayMs(MAX_DELIVERY_ATTEMPTS)).toBeNull();
  });
});
