import { AppError } from '../errors/app-error.js';
import { needsCertifiedHandler } from '../regulator/referrals.js';
import type { Channel, CustomerTier, Role, TicketType } from '../tickets/types.js';

// Who gets the next waiting ticket of a queue. Whatever the strategy, only agents who can take it
// are considered: online, below capacity, with the skills (category, language, region) and the
// certifications the case needs.

export const ASSIGNMENT_STRATEGIES = ['manual', 'round_robin', 'least_loaded'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];
export const PRESENCES = ['online', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];

export const COMPLAINT_SPECIALIST = 'complaint_specialist';

/** Support level of someone without a profile yet: experts work tier 2, everyone else tier 1. */
export const defaultTier = (role: Role): 1 | 2 => (role === 'expert' ? 2 : 1);

export type AgentSkills = { categories: string[]; languages: string[]; regions: string[] };

export type AgentState = {
  id: string;
  presence: Presence;
  capacity: number;
  openCount: number;
  skills: AgentSkills;
  /** Codes of certifications valid now. */
  certifications: ReadonlySet<string>;
  lastAssignedAt: Date | null;
};

export type WaitingTicket = {
  type: TicketType;
  grade: string;
  customerTier: CustomerTier;
  categoryPath: readonly string[];
  region: string | null;
  language: string;
  channel: Channel;
};

/** What the certification rule reads of a ticket. */
export type CertificationFacts = Pick<WaitingTicket, 'type' | 'grade' | 'customerTier' | 'channel'>;

/**
 * VIP and urgent complaints need a certified complaint-handling specialist (handbook §4), and so
 * does every case the regulator referred, whatever its grade (issue 18).
 */
export function requiredCertifications(ticket: CertificationFacts): string[] {
  if (needsCertifiedHandler(ticket.channel)) return [COMPLAINT_SPECIALIST];
  return ticket.type === 'complaint' && (ticket.customerTier === 'vip' || ticket.grade === 'urgent')
    ? [COMPLAINT_SPECIALIST]
    : [];
}

/**
 * The one certification rule of every assignment path (a supervisor's choice, an escalation to a
 * named expert, the auto-assigner and its offer to an account manager): the certifications the
 * ticket needs that the person does not hold valid now. Empty: they may take it.
 */
export function missingCertifications(ticket: CertificationFacts, held: ReadonlySet<string>): string[] {
  return requiredCertifications(ticket).filter((c) => !held.has(c));
}

/** Refuses (409 ticket.assignee_not_certified, naming what is missing) an assignee the rule rules out. No override. */
export function assertCertifiedFor(ticket: CertificationFacts, held: ReadonlySet<string>): void {
  const missing = missingCertifications(ticket, held);
  if (missing.length > 0)
    throw new AppError(
      'ticket.assignee_not_certified',
      `This ticket needs a valid certification the assignee lacks: ${missing.join(', ')}`,
      { field: 'assigneeId', missing, certification: missing[0] },
    );
}

export type Ineligibility = 'not_online' | 'at_capacity' | 'category_skill' | 'language' | 'region' | 'certification';

export function whyIneligible(agent: AgentState, ticket: WaitingTicket): Ineligibility | null {
  if (agent.presence !== 'online') return 'not_online';
  if (agent.openCount >= agent.capacity) return 'at_capacity';
  const { categories, languages, regions } = agent.skills;
  if (
    categories.length > 0 &&
    ticket.categoryPath.length > 0 &&
    !ticket.categoryPath.some((c) => categories.includes(c))
  )
    return 'category_skill';
  if (languages.length > 0 && !languages.includes(ticket.language)) return 'language';
  if (regions.length > 0 && ticket.region !== null && !regions.includes(ticket.region)) return 'region';
  if (missingCertifications(ticket, agent.certifications).length > 0) return 'certification';
  return null;
}

const lastAssigned = (a: AgentState) => a.lastAssignedAt?.getTime() ?? -Infinity;
const byId = (a: AgentState, b: AgentState) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The agent to offer the ticket to, or null when nobody eligible is free (the ticket waits with
 * its clock running). Round-robin takes whoever was given work longest ago; least-loaded takes
 * the lowest share of capacity in use, then whoever waited longest. Ties break on id so the
 * choice is deterministic.
 */
export function chooseAgent(
  strategy: AssignmentStrategy,
  agents: readonly AgentState[],
  ticket: WaitingTicket,
): AgentState | null {
  if (strategy === 'manual') return null;
  const eligible = agents.filter((a) => whyIneligible(a, ticket) === null);
  if (eligible.length === 0) return null;
  const order =
    strategy === 'round_robin'
      ? (a: AgentState, b: AgentState) => lastAssigned(a) - lastAssigned(b) || byId(a, b)
      : (a: AgentState, b: AgentState) =>
          a.openCount / a.capacity - b.openCount / b.capacity || lastAssigned(a) - lastAssigned(b) || byId(a, b);
  return eligible.reduce((best, a) => (order(a, best) < 0 ? a : best));
}

export type Assignment = { agent: AgentState; by: 'account_manager' | 'queue' };

/**
 * A high-value customer's dedicated account manager is offered the customer's waiting ticket first,
 * whatever the queue's strategy (even a manual one), when online and below capacity; their skills
 * are not asked, the relationship is the point, but the certification rule is: a VIP complaint goes
 * to a manager only with a valid specialist certification. Otherwise the queue's strategy chooses,
 * as for any ticket.
 */
export function chooseAssignee(
  strategy: AssignmentStrategy,
  agents: readonly AgentState[],
  ticket: WaitingTicket,
  accountManager: AgentState | null = null,
): Assignment | null {
  if (
    accountManager &&
    accountManager.presence === 'online' &&
    accountManager.openCount < accountManager.capacity &&
    missingCertifications(ticket, accountManager.certifications).length === 0
  ) {
    return { agent: accountManager, by: 'account_manager' };
  }
  const agent = chooseAgent(strategy, agents, ticket);
  return agent ? { agent, by: 'queue' } : null;
}

/** The language a ticket is written in, for agents' language skills: Chinese if it has any Han characters. */
export function ticketLanguage(text: string): string {
  return /\p{Script=Han}/u.test(text) || !/[a-z]/i.test(text) ? 'zh' : 'en';
}
