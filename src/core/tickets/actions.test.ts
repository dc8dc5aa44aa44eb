import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyActions, type ActionContext, type ActionTicket, type TicketChangeAction } from './actions.js';
import { derivePriority } from './priority.js';
import { CUSTOMER_TIERS, TICKET_STATUSES, TICKET_TYPES, type Priority } from './types.js';

const RANKS: Record<string, number> = { general: 1, major: 2, urgent: 3 };
const ctx = (tier: ActionContext['tier'] = 'regular'): ActionContext => ({ tier, gradeRank: (g) => RANKS[g] });

const ticket = (fields: Partial<ActionTicket> = {}): ActionTicket => ({
  type: 'inquiry',
  categoryId: null,
  grade: 'general',
  subject: '咨询套餐',
  description: '想了解一下流量套餐',
  details: {},
  tags: [],
  contactNumber: null,
  priority: 4,
  priorityFloor: null,
  teamId: 'frontline',
  assigneeId: 'agent-1',
  supportLevel: 1,
  status: 'in_progress',
  ...fields,
});

describe('changes to a ticket, in one vocabulary for rules, escalations, edits and bulk actions', () => {
  it('keeps a rule’s priority when an agent then edits only the subject', () => {
    const routed = applyActions(ticket(), [{ kind: 'priority_floor', priority: 1 }], ctx()).ticket;
    expect(routed.priority).toBe(1);
    const edited = applyActions(routed, [{ kind: 'set', field: 'subject', value: '全城断网何时恢复' }], ctx());
    expect(edited.ticket.priority).toBe(1);
    expect(edited.changed).toEqual(['subject']);
  });

  it('raises a grade by a rule but never lowers it, while an agent’s edit may lower it', () => {
    const urgent = applyActions(ticket({ grade: 'urgent' }), [], ctx()).ticket;
    expect(applyActions(urgent, [{ kind: 'raise_grade', grade: 'major' }], ctx()).changed).toEqual([]);
    expect(applyActions(ticket(), [{ kind: 'raise_grade', grade: 'major' }], ctx()).ticket.grade).toBe('major');
    expect(applyActions(urgent, [{ kind: 'set', field: 'grade', value: 'general' }], ctx()).ticket.grade).toBe(
      'general',
    );
  });

  it('raises priority one level on escalation and keeps the raise as the floor', () => {
    const r = applyActions(ticket({ priority: 3 }), [{ kind: 'raise_priority' }], ctx());
    expect(r.after).toEqual({ priority: 2, priorityFloor: 2 });
    expect(r.before).toEqual({ priority: 3, priorityFloor: null });
  });

  it('moves a ticket to tier 2 unassigned, back in the queue, as a manual escalation does', () => {
    const r = applyActions(ticket(), [{ kind: 'move_to_queue', teamId: 'experts', tier2: true }], ctx());
    expect(r.after).toEqual({ teamId: 'experts', assigneeId: null, supportLevel: 2, status: 'new' });
    // A second escalation to tier 2 changes nothing.
    expect(applyActions(r.ticket, [{ kind: 'move_to_queue', teamId: 'other', tier2: true }], ctx()).changed).toEqual(
      [],
    );
  });

  it('keeps a ticket waiting on the customer waiting when it moves queue', () => {
    const r = applyActions(
      ticket({ status: 'pending_customer' }),
      [{ kind: 'move_to_queue', teamId: 'billing' }],
      ctx(),
    );
    expect(r.ticket.status).toBe('pending_customer');
  });

  it('adds a tag once however often it is asked', () => {
    const once = applyActions(ticket(), [{ kind: 'add_tag', tag: 'sla_breached' }], ctx()).ticket;
    expect(applyActions(once, [{ kind: 'add_tag', tag: 'sla_breached' }], ctx()).changed).toEqual([]);
  });

  const priority = fc.constantFrom<Priority>(1, 2, 3, 4);
  const anyTicket = fc.record({
    type: fc.constantFrom(...TICKET_TYPES),
    grade: fc.constantFrom('general', 'major', 'urgent'),
    priorityFloor: fc.option(priority, { nil: null }),
    status: fc.constantFrom(...TICKET_STATUSES.filter((s) => s !== 'closed' && s !== 'resolved')),
    supportLevel: fc.constantFrom(1, 2),
    tags: fc.array(fc.constantFrom('vip', 'modem', 'sla_breached'), { maxLength: 3 }),
  });
  const anyAction: fc.Arbitrary<TicketChangeAction> = fc.oneof(
    fc.record({ kind: fc.constant('raise_grade' as const), grade: fc.constantFrom('general', 'major', 'urgent') }),
    fc.record({ kind: fc.constant('add_tag' as const), tag: fc.constantFrom('vip', 'network', 'repeat') }),
    fc.record({ kind: fc.constant('priority_floor' as const), priority }),
    fc.constant({ kind: 'raise_priority' as const }),
    fc.record({
      kind: fc.constant('move_to_queue' as const),
      teamId: fc.constantFrom('frontline', 'experts'),
      tier2: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('set' as const),
      field: fc.constant('type' as const),
      value: fc.constantFrom(...TICKET_TYPES),
    }),
    fc.record({ kind: fc.constant('set' as const), field: fc.constant('subject' as const), value: fc.string() }),
  );

  it('never leaves a ticket less urgent than its floor or than its facts', () => {
    fc.assert(
      fc.property(
        anyTicket,
        fc.array(anyAction, { maxLength: 6 }),
        fc.constantFrom(...CUSTOMER_TIERS),
        (t, actions, tier) => {
          const { ticket: next } = applyActions(ticket(t), actions, ctx(tier));
          if (next.priorityFloor !== null) expect(next.priority).toBeLessThanOrEqual(next.priorityFloor);
          expect(next.priority).toBeLessThanOrEqual(derivePriority({ type: next.type, grade: next.grade, tier }));
        },
      ),
    );
  });

  it('never lowers a floor, never lowers the support level, and reports exactly the fields that differ', () => {
    fc.assert(
      fc.property(anyTicket, fc.array(anyAction, { maxLength: 6 }), (t, actions) => {
        const start = applyActions(ticket(t), [], ctx()).ticket;
        const r = applyActions(start, actions, ctx());
        if (start.priorityFloor !== null) expect(r.ticket.priorityFloor).toBeLessThanOrEqual(start.priorityFloor);
        expect(r.ticket.supportLevel).toBeGreaterThanOrEqual(start.supportLevel);
        for (const f of r.changed) expect(r.after[f]).not.toEqual(r.before[f]);
        expect({ ...start, ...r.after }).toEqual(r.ticket);
      }),
    );
  });
});
