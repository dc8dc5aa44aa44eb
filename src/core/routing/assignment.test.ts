import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import {
  assertCertifiedFor,
  chooseAgent,
  chooseAssignee,
  missingCertifications,
  requiredCertifications,
  ticketLanguage,
  whyIneligible,
  type AgentState,
  type WaitingTicket,
} from './assignment.js';

const agent = (id: string, over: Partial<AgentState> = {}): AgentState => ({
  id,
  presence: 'online',
  capacity: 10,
  openCount: 0,
  skills: { categories: [], languages: ['zh'], regions: [] },
  certifications: new Set(),
  lastAssignedAt: null,
  ...over,
});
const ticket = (over: Partial<WaitingTicket> = {}): WaitingTicket => ({
  type: 'fault',
  grade: 'general',
  customerTier: 'regular',
  categoryPath: ['fault-network-slow', 'fault-network'],
  region: '广州',
  language: 'zh',
  channel: 'hotline',
  ...over,
});
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 2, minute));

describe('assignment strategies', () => {
  it('round-robin gives the ticket to whoever was assigned longest ago, never-assigned first', () => {
    const agents = [
      agent('a', { lastAssignedAt: at(5) }),
      agent('b', { lastAssignedAt: at(1) }),
      agent('c', { lastAssignedAt: at(3) }),
    ];
    expect(chooseAgent('round_robin', agents, ticket())?.id).toBe('b');
    expect(chooseAgent('round_robin', [...agents, agent('d')], ticket())?.id).toBe('d');
  });

  it('least-loaded compares the share of capacity in use', () => {
    const agents = [
      agent('a', { openCount: 3, capacity: 5 }),
      agent('b', { openCount: 5, capacity: 20 }),
      agent('c', { openCount: 1, capacity: 2 }),
    ];
    expect(chooseAgent('least_loaded', agents, ticket())?.id).toBe('b');
  });

  it('manual queues are never auto-assigned', () => {
    expect(chooseAgent('manual', [agent('a')], ticket())).toBeNull();
  });

  it('returns nobody when every agent is away, offline or full, so the ticket waits', () => {
    const agents = [
      agent('a', { presence: 'away' }),
      agent('b', { presence: 'offline' }),
      agent('c', { openCount: 10 }),
    ];
    expect(chooseAgent('least_loaded', agents, ticket())).toBeNull();
    expect(agents.map((a) => whyIneligible(a, ticket()))).toEqual(['not_online', 'not_online', 'at_capacity']);
  });

  it('respects category, language and region skills, with a parent category covering its children', () => {
    const t = ticket();
    expect(
      whyIneligible(agent('a', { skills: { categories: ['fault-network'], languages: ['zh'], regions: [] } }), t),
    ).toBeNull();
    expect(
      whyIneligible(agent('a', { skills: { categories: ['complaint-billing'], languages: ['zh'], regions: [] } }), t),
    ).toBe('category_skill');
    expect(whyIneligible(agent('a', { skills: { categories: [], languages: ['en'], regions: [] } }), t)).toBe(
      'language',
    );
    expect(whyIneligible(agent('a', { skills: { categories: [], languages: ['zh'], regions: ['深圳'] } }), t)).toBe(
      'region',
    );
  });

  it('gives VIP and urgent complaints only to certified complaint specialists', () => {
    const vipComplaint = ticket({ type: 'complaint', customerTier: 'vip' });
    expect(requiredCertifications(vipComplaint)).toEqual(['complaint_specialist']);
    expect(requiredCertifications(ticket({ type: 'complaint', grade: 'urgent' }))).toEqual(['complaint_specialist']);
    expect(requiredCertifications(ticket({ type: 'fault', customerTier: 'vip' }))).toEqual([]);
    const agents = [
      agent('plain', { lastAssignedAt: null }),
      agent('certified', { certifications: new Set(['complaint_specialist']), lastAssignedAt: at(9) }),
    ];
    expect(chooseAgent('round_robin', agents, vipComplaint)?.id).toBe('certified');
  });

  it('names the certifications a person lacks for a ticket, one rule for every assignment path', () => {
    const none = new Set<string>();
    const specialist = new Set(['complaint_specialist']);
    expect(missingCertifications(ticket({ type: 'complaint', customerTier: 'vip' }), none)).toEqual([
      'complaint_specialist',
    ]);
    expect(missingCertifications(ticket({ type: 'inquiry', channel: 'regulator' }), none)).toEqual([
      'complaint_specialist',
    ]);
    expect(missingCertifications(ticket({ type: 'complaint', grade: 'urgent' }), specialist)).toEqual([]);
    expect(missingCertifications(ticket({ type: 'complaint', grade: 'major' }), none)).toEqual([]);
  });

  it('refuses an assignee without the certification the ticket needs, naming what is missing', () => {
    const vip = ticket({ type: 'complaint', customerTier: 'vip' });
    let refused: unknown;
    try {
      assertCertifiedFor(vip, new Set(['other']));
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      code: 'ticket.assignee_not_certified',
      details: { field: 'assigneeId', missing: ['complaint_specialist'] },
    });
    expect(() => assertCertifiedFor(vip, new Set(['complaint_specialist']))).not.toThrow();
  });

  it('detects English tickets for language skills', () => {
    expect(ticketLanguage('My broadband is down')).toBe('en');
    expect(ticketLanguage('宽带断网 since Monday')).toBe('zh');
  });
});

describe('a dedicated account manager first', () => {
  const queue = [agent('q1'), agent('q2', { lastAssignedAt: at(1) })];
  it('gives the ticket to the account manager when online and below capacity, even without the skills', () => {
    const manager = agent('m', { skills: { categories: ['billing'], languages: ['en'], regions: ['北京'] } });
    expect(chooseAssignee('round_robin', queue, ticket(), manager)).toEqual({ agent: manager, by: 'account_manager' });
    expect(chooseAssignee('manual', [], ticket(), manager)?.by).toBe('account_manager');
  });
  it('falls back to the queue’s strategy when the manager is away, offline or full', () => {
    for (const over of [{ presence: 'away' as const }, { presence: 'offline' as const }, { openCount: 10 }]) {
      expect(chooseAssignee('round_robin', queue, ticket(), agent('m', over))).toEqual({
        agent: queue[0],
        by: 'queue',
      });
      expect(chooseAssignee('manual', queue, ticket(), agent('m', over))).toBeNull();
    }
  });
  it('offers a VIP complaint to the account manager only with a valid specialist certification', () => {
    const vip = ticket({ type: 'complaint', customerTier: 'vip' });
    const certifiedQueue = [agent('q1'), agent('q2', { certifications: new Set(['complaint_specialist']) })];
    expect(chooseAssignee('round_robin', certifiedQueue, vip, agent('m'))).toEqual({
      agent: certifiedQueue[1],
      by: 'queue',
    });
    expect(chooseAssignee('manual', certifiedQueue, vip, agent('m'))).toBeNull();
    const certifiedManager = agent('m', { certifications: new Set(['complaint_specialist']) });
    expect(chooseAssignee('manual', [], vip, certifiedManager)).toEqual({
      agent: certifiedManager,
      by: 'account_manager',
    });
  });
  it('is the queue’s choice for a customer without a manager', () => {
    expect(chooseAssignee('least_loaded', queue, ticket(), null)).toEqual({ agent: queue[0], by: 'queue' });
  });
});
