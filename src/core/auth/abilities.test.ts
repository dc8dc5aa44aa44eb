import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES, ROLES, type Role } from '../tickets/types.js';
import { canTransition, TICKET_ACTIONS } from '../tickets/state-machine.js';
import { staffAbilities, ticketAbilities, type TicketAbilityFacts } from './abilities.js';
import { canOverrideClose, canWorkTicket, type Actor } from './policy.js';

const TEAM = 'team-a';
const actor = (role: Role, teamId: string | null = TEAM, id = `${role}-1`): Actor => ({ id, role, teamId });
const facts = (extra: Partial<TicketAbilityFacts> = {}, access: Partial<TicketAbilityFacts['access']> = {}) => ({
  status: 'assigned' as const,
  hasPublicReply: true,
  openBlockingSubtasks: 0,
  supportLevel: 1,
  mergedIntoId: null,
  viewerCertified: true,
  ...extra,
  access: {
    teamId: TEAM,
    teamRestricted: false,
    supervisorsSeeRestricted: true,
    assigneeId: 'agent-1',
    firstContactOwnerId: 'agent-1',
    ...access,
  },
});

describe('ticket abilities', () => {
  it('offer the assigned agent the moves of the state machine and the work on the ticket', () => {
    expect(ticketAbilities(actor('agent'), facts())).toEqual([
      'start',
      'resolve',
      'edit',
      'reply',
      'add_note',
      'attach',
      'escalate',
      'add_subtask',
      'merge',
      'link',
    ]);
  });

  it('offer a QA inspector nothing that changes the ticket', () => {
    expect(ticketAbilities(actor('qa'), facts())).toEqual([]);
  });

  it('offer department staff notes and files only', () => {
    expect(ticketAbilities(actor('department'), facts())).toEqual(['add_note', 'attach']);
  });

  it('never offer resolve before the customer had a public reply', () => {
    expect(ticketAbilities(actor('agent'), facts({ hasPublicReply: false }))).not.toContain('resolve');
  });

  it('never offer take to someone who lacks a certification the ticket needs; a supervisor may still assign it', () => {
    const unassigned = facts({ status: 'new', viewerCertified: false }, { assigneeId: null });
    expect(ticketAbilities(actor('agent'), unassigned)).not.toContain('take');
    expect(ticketAbilities(actor('supervisor'), unassigned)).not.toContain('take');
    expect(ticketAbilities(actor('supervisor'), unassigned)).toContain('assign');
  });

  it('offer take on an unassigned open ticket to the roles that hold tickets, assign to supervisors only', () => {
    const unassigned = facts({ status: 'new' }, { assigneeId: null });
    expect(ticketAbilities(actor('agent'), unassigned)).toContain('take');
    expect(ticketAbilities(actor('agent'), unassigned)).not.toContain('assign');
    expect(ticketAbilities(actor('supervisor'), unassigned)).toEqual(expect.arrayContaining(['take', 'assign']));
    expect(ticketAbilities(actor('admin'), unassigned)).not.toContain('take');
    expect(ticketAbilities(actor('qa'), unassigned)).not.toContain('take');
  });

  it('offer an agent of another team nothing on a ticket someone else holds there', () => {
    expect(ticketAbilities(actor('agent', 'team-b', 'agent-2'), facts())).toEqual(['add_note', 'attach']);
  });

  it('offer escalate on tier 1 and de-escalate on tier 2, neither once resolved', () => {
    expect(ticketAbilities(actor('agent'), facts({ supportLevel: 2 }))).toContain('de_escalate');
    expect(ticketAbilities(actor('agent'), facts({ supportLevel: 2 }))).not.toContain('escalate');
    const resolved = ticketAbilities(actor('agent'), facts({ status: 'resolved' }));
    expect(resolved).toEqual(['reopen', 'reply', 'add_note', 'attach', 'link', 'record_confirmation']);
  });

  it('offer closing a resolved ticket before the customer answered to supervisors only (an override)', () => {
    expect(ticketAbilities(actor('agent'), facts({ status: 'resolved' }))).not.toContain('close');
    expect(ticketAbilities(actor('supervisor'), facts({ status: 'resolved' }))).toContain('close');
  });

  it('offer a lifecycle move exactly when the viewer may work the ticket and the state machine allows it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ROLES),
        fc.constantFrom(...TICKET_STATUSES),
        fc.boolean(),
        fc.nat(2),
        fc.constantFrom(TEAM, 'team-b', null),
        fc.boolean(),
        fc.constantFrom('agent-1', null),
        (role, status, hasPublicReply, openBlockingSubtasks, teamId, teamRestricted, assigneeId) => {
          const viewer = actor(role);
          const f = facts({ status, hasPublicReply, openBlockingSubtasks }, { teamId, teamRestricted, assigneeId });
          const offered = ticketAbilities(viewer, f);
          for (const action of TICKET_ACTIONS) {
            const legal =
              canWorkTicket(viewer, f.access) &&
              canTransition(action, {
                status,
                hasAssignee: assigneeId !== null,
                hasPublicReply,
                openBlockingSubtasks,
                closeReason: canOverrideClose(viewer) ? 'supervisor_override' : undefined,
              });
            expect(offered.includes(action)).toBe(legal);
          }
        },
      ),
    );
  });
});

describe('staff abilities', () => {
  it('let the front office create tickets and reveal personal data, not QA or departments', () => {
    expect(staffAbilities(actor('agent'))).toEqual([
      'create_ticket',
      'read_customers',
      'write_customers',
      'reveal_pii',
      'my_reviews',
      'write_knowledge',
    ]);
    expect(staffAbilities(actor('qa'))).toEqual(['read_customers', 'inspect_quality']);
    expect(staffAbilities(actor('department'))).toEqual([]);
  });
  it('let supervisors run the floor and admins administer', () => {
    expect(staffAbilities(actor('supervisor'))).toContain('supervise');
    expect(staffAbilities(actor('agent'))).not.toContain('supervise');
    expect(staffAbilities(actor('admin'))).toContain('administer');
  });
  it('let QA inspectors inspect, supervisors oversee quality, and agents and experts see their own reviews', () => {
    expect(staffAbilities(actor('supervisor'))).toContain('supervise_quality');
    expect(staffAbilities(actor('supervisor'))).not.toContain('inspect_quality');
    expect(staffAbilities(actor('expert'))).toContain('my_reviews');
    expect(staffAbilities(actor('qa'))).not.toContain('supervise_quality');
  });
  it('gives the privacy desk (personal-data requests) to supervisors and admins only', () => {
    expect(staffAbilities(actor('supervisor'))).toContain('handle_privacy');
    expect(staffAbilities(actor('admin'))).toContain('handle_privacy');
    for (const role of ['agent', 'expert', 'qa', 'department'] as const)
      expect(staffAbilities(actor(role))).not.toContain('handle_privacy');
  });

  it('let the front office write knowledge, and experts, supervisors and admins review it', () => {
    expect(staffAbilities(actor('expert'))).toEqual(expect.arrayContaining(['write_knowledge', 'review_knowledge']));
    expect(staffAbilities(actor('supervisor'))).toEqual(
      expect.arrayContaining(['write_knowledge', 'review_knowledge']),
    );
    expect(staffAbilities(actor('agent'))).not.toContain('review_knowledge');
    expect(staffAbilities(actor('qa'))).not.toContain('write_knowledge');
  });

  it('let network operations and supervisors manage incidents, not agents or other departments', () => {
    expect(staffAbilities(actor('department', 'netops'), { networkOpsTeamId: 'netops' })).toEqual(['manage_incidents']);
    expect(staffAbilities(actor('department', 'billing'), { networkOpsTeamId: 'netops' })).toEqual([]);
    expect(staffAbilities(actor('supervisor'), { networkOpsTeamId: 'netops' })).toContain('manage_incidents');
    expect(staffAbilities(actor('agent'), { networkOpsTeamId: 'netops' })).not.toContain('manage_incidents');
  });
});
