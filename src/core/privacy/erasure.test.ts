import { describe, expect, it } from 'vitest';
import { erasureAnswer, erasurePlan, referralHoldReason, type HeldTicket } from './erasure.js';

const now = new Date('2026-11-20T02:00:00Z');

describe('erasure plan and answer', () => {
  it('erases everything, profile included, when no law keeps anything', () => {
    const plan = erasurePlan([], now, 30);
    expect(plan).toEqual({ heldTicketIds: [], keepProfile: false, hold: null });
    expect(erasureAnswer([], plan, 'Asia/Shanghai')).toMatch(/已删除.*erased/);
  });

  it('keeps held tickets and the profile until the latest deadline, and names each ticket and why', () => {
    const held: HeldTicket[] = [
      { ticketId: 'a', ticketNumber: 'T-1', reason: 'regulator_case', dueAt: new Date('2026-12-01T15:59:00Z') },
      { ticketId: 'b', ticketNumber: 'T-2', reason: referralHoldReason('fee_dispute'), dueAt: null },
    ];
    const plan = erasurePlan(held, now, 5);
    expect(plan.heldTicketIds).toEqual(['a', 'b']);
    expect(plan.keepProfile).toBe(true);
    // The case's deadline is later than the 5-day fallback of the dispute without one.
    expect(plan.hold).toEqual({
      reasons: ['billing_dispute', 'regulator_case'],
      until: new Date('2026-12-01T15:59:00Z'),
    });
    const answer = erasureAnswer(held, plan, 'Asia/Shanghai');
    expect(answer).toContain('2026-12-01');
    expect(answer).toMatch(/T-1: 监管部门转办的申诉尚未办结/);
    expect(answer).toMatch(/T-2: 计费争议尚在处理/);
  });

  it('treats an open fee-dispute referral as a billing dispute and any other as a regulator case', () => {
    expect(referralHoldReason('fee_dispute')).toBe('billing_dispute');
    expect(referralHoldReason('network_quality')).toBe('regulator_case');
  });
});
