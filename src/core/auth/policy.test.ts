import { describe, expect, it } from 'vitest';
import {
  canAssign,
  canOpenQueue,
  canReadTicket,
  canRevealPii,
  canWorkTicket,
  type Actor,
  type TicketAccessFacts,
} from './policy.js';

const TEAM_A = 'team-a';
const TEAM_B = 'team-b';
const actor = (role: Actor['role'], teamId: string | null = TEAM_A, id = `${role}-1`): Actor => ({ id, role, teamId });
const ticket = (extra: Partial<TicketAccessFacts> = {}): TicketAccessFacts => ({
  teamId: TEAM_B,
  teamRestricted: false,
  supervisorsSeeRestricted: true,
  assigneeId: null,
  firstContactOwnerId: 'someone-else',
  ...extra,
});

describe('ticket access policy', () => {
  it('lets agents read tickets of unrestricted teams but not of restricted ones', () => {
    expect(canReadTicket(actor('agent'), ticket())).toBe(true);
    expect(canReadTicket(actor('agent'), ticket({ teamRestricted: true }))).toBe(false);
    expect(canReadTicket(actor('agent', TEAM_B), ticket({ teamRestricted: true }))).toBe(true);
  });
  it('lets duty supervisors read a restricted queue unless its team closes it to them', () => {
    const supervisor = actor('supervisor', 'supervisors');
    expect(canReadTicket(supervisor, ticket({ teamRestricted: true }))).toBe(true);
    expect(canWorkTicket(supervisor, ticket({ teamRestricted: true }))).toBe(true);
    expect(canReadTicket(supervisor, ticket({ teamRestricted: true, supervisorsSeeRestricted: false }))).toBe(false);
    expect(canReadTicket(actor('agent'), ticket({ teamRestricted: true, supervisorsSeeRestricted: true }))).toBe(false);
    expect(canReadTicket(actor('expert'), ticket({ teamRestricted: true }))).toBe(false);
    expect(canReadTicket(actor('qa'), ticket({ teamRestricted: true }))).toBe(false);
  });
  it('opens a restricted queue to its members, to duty supervisors unless closed to them, and to admins only', () => {
    const vip = { id: TEAM_B, restricted: true, supervisorsSeeRestricted: true };
    expect(canOpenQueue(actor('agent'), vip)).toBe(false);
    expect(canOpenQueue(actor('expert'), vip)).toBe(false);
    expect(canOpenQueue(actor('agent', TEAM_B), vip)).toBe(true);
    expect(canOpenQueue(actor('supervisor', null), vip)).toBe(true);
    expect(canOpenQueue(actor('supervisor', null), { ...vip, supervisorsSeeRestricted: false })).toBe(false);
    expect(canOpenQueue(actor('admin', null), { ...vip, supervisorsSeeRestricted: false })).toBe(true);
    expect(canOpenQueue(actor('agent'), { ...vip, restricted: false })).toBe(true);
    // The tickets on no queue: everyone but department staff, who see only their department's work.
    expect(canOpenQueue(actor('agent'), null)).toBe(true);
    expect(canOpenQueue(actor('admin', null), null)).toBe(true);
    expect(canOpenQueue(actor('department', TEAM_B), null)).toBe(false);
  });
  it('keeps the first-contact owner able to read the ticket after it moved to a restricted team', () => {
    expect(canReadTicket(actor('agent'), ticket({ teamRestricted: true, firstContactOwnerId: 'agent-1' }))).toBe(true);
  });
  it('shows department staff only work transferred to their department', () => {
    expect(canReadTicket(actor('department', TEAM_B), ticket())).toBe(true);
    expect(canReadTicket(actor('department', TEAM_A), ticket())).toBe(false);
  });
  it('shows department staff a ticket that has a sub-task for their department', () => {
    expect(canReadTicket(actor('department', 'billing'), ticket({ subtaskTeamIds: ['billing'] }))).toBe(true);
    expect(canReadTicket(actor('department', 'network'), ticket({ subtaskTeamIds: ['billing'] }))).toBe(false);
  });
  it('lets QA read but never work a ticket', () => {
    expect(canReadTicket(actor('qa'), ticket())).toBe(true);
    expect(canWorkTicket(actor('qa'), ticket())).toBe(false);
  });
  it('lets agents work tickets of their own team or their own, not other teams', () => {
    expect(canWorkTicket(actor('agent'), ticket({ teamId: TEAM_A }))).toBe(true);
    expect(canWorkTicket(actor('agent'), ticket({ assigneeId: 'agent-1' }))).toBe(true);
    expect(canWorkTicket(actor('agent'), ticket())).toBe(false);
  });
  it('lets supervisors assign anyone but agents only themselves', () => {
    expect(canAssign(actor('supervisor'), ticket(), 'x')).toBe(true);
    expect(canAssign(actor('agent'), ticket({ teamId: TEAM_A }), 'agent-1')).toBe(true);
    expect(canAssign(actor('agent'), ticket({ teamId: TEAM_A }), 'someone')).toBe(false);
  });
  it('allows revealing personal data to the front office only', () => {
    expect(canRevealPii(actor('agent'))).toBe(true);
    expect(canRevealPii(actor('qa'))).toBe(false);
    expect(canRevealPii(actor('department'))).toBe(false);
  });
});
