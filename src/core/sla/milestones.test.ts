import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES, type MessageKind, type TicketStatus } from '../tickets/types.js';
import {
  applyTicketChange,
  DEFAULT_MESSAGE_KIND_MEETS,
  metricsMet,
  MILESTONE_MEETS,
  type MessageKindMeets,
  type SlaMilestone,
} from './milestones.js';
import { SLA_METRICS, type SlaMetric } from './sla-policy.js';
import { startClock, type CalendarMath } from './target-clock.js';

const always: CalendarMath = {
  add: (s, ms) => new Date(s.getTime() + ms),
  between: (a, b) => b.getTime() - a.getTime(),
  phaseAt: () => ({ open: true, until: null }),
};
const t0 = new Date('2026-11-20T02:00:00Z');
const later = new Date('2026-11-20T03:00:00Z');
const running = () => startClock({ limitMs: 4 * 3_600_000, warnAt: [0.75], escalation: [] }, t0);
const pausesWhilePendingCustomer = (status: TicketStatus) => status === 'pending_customer';
const MILESTONES: SlaMilestone[] = ['started', 'public_reply', 'handed_off', 'resolved', 'reopened'];

describe('which clocks a public message meets, by its kind', () => {
  const meets = (messageKind: MessageKind, policyMeets?: MessageKindMeets) =>
    SLA_METRICS.filter(
      (m) =>
        applyTicketChange(running(), m, null, { milestone: 'public_reply', messageKind }, later, always, policyMeets)
          .met,
    );
  it('does not meet the handling-plan target with an acknowledgement; a handling plan does', () => {
    expect(meets('acknowledgement')).toEqual(['first_response']);
    expect(meets('handling_plan')).toEqual(['first_response', 'handling_plan', 'diagnosis']);
    expect(meets('answer')).toEqual(['first_response', 'handling_plan', 'diagnosis']);
    expect(meets('other')).toEqual(['first_response']);
  });
  it("follows the policy's own table for the kinds it lists, the defaults for the rest", () => {
    const strict = { answer: ['first_response'] as SlaMetric[], acknowledgement: [] as SlaMetric[] };
    expect(meets('answer', strict)).toEqual(['first_response']);
    expect(meets('acknowledgement', strict)).toEqual([]);
    expect(meets('handling_plan', strict)).toEqual(['first_response', 'handling_plan', 'diagnosis']);
    expect(metricsMet('public_reply', undefined, undefined)).toEqual(DEFAULT_MESSAGE_KIND_MEETS.answer);
    // Milestones other than a public reply ignore kinds and the table.
    expect(metricsMet('resolved', 'acknowledgement', strict)).toEqual(MILESTONE_MEETS.resolved);
  });
});

describe('what a ticket event does to its SLA clocks', () => {
  it('meets a target on the milestones of the handbook and on no other', () => {
    const meets = (milestone: SlaMilestone) =>
      SLA_METRICS.filter((m) => applyTicketChange(running(), m, null, { milestone }, later, always).met);
    expect(meets('started')).toEqual(['first_response']);
    expect(meets('public_reply')).toEqual(['first_response', 'handling_plan', 'diagnosis']);
    expect(meets('handed_off')).toEqual(['first_response', 'diagnosis']);
    expect(meets('resolved')).toEqual([...SLA_METRICS]);
    expect(meets('reopened')).toEqual([]);
  });

  it('stops the clock it meets at the moment of the milestone', () => {
    const { clock } = applyTicketChange(running(), 'resolution', null, { milestone: 'resolved' }, later, always);
    expect(clock).toMatchObject({ metAt: later, runningSince: null, consumedMs: 3_600_000 });
  });

  it('pauses a clock entering a status the policy pauses in, and resumes it on leaving', () => {
    const waiting = applyTicketChange(
      running(),
      'resolution',
      pausesWhilePendingCustomer,
      { status: { from: 'in_progress', to: 'pending_customer' } },
      later,
      always,
    ).clock;
    expect(waiting).toMatchObject({ runningSince: null, consumedMs: 3_600_000 });
    const back = new Date('2026-11-20T05:00:00Z');
    const resumed = applyTicketChange(
      waiting,
      'resolution',
      pausesWhilePendingCustomer,
      { status: { from: 'pending_customer', to: 'in_progress' } },
      back,
      always,
    ).clock;
    expect(resumed).toMatchObject({ runningSince: back, consumedMs: 3_600_000 });
  });

  it('starts the resolution clock again, with its time so far, when a resolved ticket is reopened', () => {
    const resolved = applyTicketChange(running(), 'resolution', null, { milestone: 'resolved' }, later, always).clock;
    const back = new Date('2026-11-21T02:00:00Z');
    const reopened = applyTicketChange(resolved, 'resolution', null, { milestone: 'reopened' }, back, always);
    expect(reopened).toEqual({ clock: { ...resolved, metAt: null, runningSince: back }, met: false });
  });

  it('never un-meets a target other than resolution, and never leaves a met clock running', () => {
    const change = fc.record({
      status: fc.option(
        fc.record({ from: fc.constantFrom(...TICKET_STATUSES), to: fc.constantFrom(...TICKET_STATUSES) }),
        { nil: undefined },
      ),
      milestone: fc.option(fc.constantFrom(...MILESTONES), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 8 }), fc.constantFrom(...SLA_METRICS), (changes, metric) => {
        let clock = running();
        let at = t0.getTime();
        for (const c of changes) {
          at += 600_000;
          const wasMet = clock.metAt !== null;
          clock = applyTicketChange(clock, metric, pausesWhilePendingCustomer, c, new Date(at), always).clock;
          if (wasMet && !(metric === 'resolution' && c.milestone === 'reopened')) expect(clock.metAt).not.toBeNull();
          if (clock.metAt) expect(clock.runningSince).toBeNull();
        }
      }),
    );
  });

  it('lists only metrics the policies know', () => {
    for (const metrics of Object.values(MILESTONE_MEETS)) for (const m of metrics) expect(SLA_METRICS).toContain(m);
  });
});
