import type { Role } from '../tickets/types.js';

// Who may do what, as pure functions in one place. Use cases call these after loading the
// record; a record the caller may not read is reported as "not found", never "forbidden".

export type Actor = { id: string; role: Role; teamId: string | null };

export type TicketAccessFacts = {
  teamId: string | null;
  teamRestricted: boolean;
  /** Whether duty supervisors see the ticket's queue although it is restricted (a team setting, on by default). */
  supervisorsSeeRestricted: boolean;
  assigneeId: string | null;
  /** Null until someone takes a contact that arrived through a channel. */
  firstContactOwnerId: string | null;
  /** Departments asked to do part of the work (open sub-tasks). */
  subtaskTeamIds?: readonly string[];
};

const FRONT_OFFICE: readonly Role[] = ['agent', 'expert', 'supervisor', 'admin'];

function isPersonallyInvolved(actor: Actor, ticket: TicketAccessFacts): boolean {
  return ticket.assigneeId === actor.id || ticket.firstContactOwnerId === actor.id;
}

function isTeamMember(actor: Actor, ticket: TicketAccessFacts): boolean {
  return actor.teamId !== null && ticket.teamId === actor.teamId;
}

export function canReadTicket(actor: Actor, ticket: TicketAccessFacts): boolean {
  if (actor.role === 'admin' || isPersonallyInvolved(actor, ticket)) return true;
  // Department staff see only work transferred to their department or handed to it as a sub-task.
  if (actor.role === 'department')
    return (
      isTeamMember(actor, ticket) || (actor.teamId !== null && (ticket.subtaskTeamIds ?? []).includes(actor.teamId))
    );
  if (ticket.teamRestricted) return isTeamMember(actor, ticket) || seesRestrictedAsSupervisor(actor, ticket);
  return true;
}

/**
 * Whether the viewer may open a team's queue: read its tickets as such, not only those that
 * involve them personally. Queues they may not open are not listed to them (sidebar, board).
 * `null`: the tickets on no queue.
 */
export function canOpenQueue(
  actor: Actor,
  team: { id: string; restricted: boolean; supervisorsSeeRestricted: boolean } | null,
): boolean {
  return canReadTicket(actor, {
    teamId: team?.id ?? null,
    teamRestricted: team?.restricted ?? false,
    supervisorsSeeRestricted: team?.supervisorsSeeRestricted ?? false,
    assigneeId: null,
    firstContactOwnerId: null,
  });
}

/** Duty supervisors see a restricted queue (the VIP desk) unless its team closes it to them. */
function seesRestrictedAsSupervisor(actor: Actor, ticket: TicketAccessFacts): boolean {
  return actor.role === 'supervisor' && ticket.supervisorsSeeRestricted;
}

/** Edit fields, change status, reply to the customer. */
export function canWorkTicket(actor: Actor, ticket: TicketAccessFacts): boolean {
  if (!canReadTicket(actor, ticket)) return false;
  switch (actor.role) {
    case 'admin':
    case 'supervisor':
      return true;
    case 'agent':
    case 'expert':
      return isPersonallyInvolved(actor, ticket) || isTeamMember(actor, ticket) || ticket.teamId === null;
    case 'department':
    case 'qa':
      return false;
    default:
      return actor.role satisfies never;
  }
}

/** Internal notes: everyone who can read a ticket except QA, who inspect rather than work. */
export function canAddInternalNote(actor: Actor, ticket: TicketAccessFacts): boolean {
  return actor.role !== 'qa' && canReadTicket(actor, ticket);
}

/** Supervisors and admins assign anyone; agents and experts may only take work themselves. */
export function canAssign(actor: Actor, ticket: TicketAccessFacts, assigneeId: string | null): boolean {
  if (actor.role === 'supervisor' || actor.role === 'admin') return canReadTicket(actor, ticket);
  return assigneeId === actor.id && canWorkTicket(actor, ticket);
}

/**
 * Finishing a department sub-task: only the department it was handed to (or the person in it who
 * was named), or a supervisor, reports it done; the ticket's handlers, the agent who asked among
 * them, may call it off but not report it done.
 */
export function canFinishSubtask(
  actor: Actor,
  task: { teamId: string; assigneeId: string | null },
  ticket: TicketAccessFacts,
  verb: 'complete' | 'cancel',
): boolean {
  if (verb === 'cancel') return canWorkTicket(actor, ticket);
  const inDepartment = (actor.teamId !== null && actor.teamId === task.teamId) || actor.id === task.assigneeId;
  return inDepartment || canSupervise(actor);
}

export const canCreateTicket = (actor: Actor): boolean => FRONT_OFFICE.includes(actor.role);
export const canReadCustomers = (actor: Actor): boolean => actor.role !== 'department';
export const canWriteCustomers = (actor: Actor): boolean => FRONT_OFFICE.includes(actor.role);
/** Revealing personal data is allowed to the front office only, and always written to the access log. */
export const canRevealPii = (actor: Actor): boolean => FRONT_OFFICE.includes(actor.role);
export const canAdminister = (actor: Actor): boolean => actor.role === 'admin';
/** Supervisors and admins run the floor: agents and queues, capacity overrides, deliveries and quarantined mail. */
export const canSupervise = (actor: Actor): boolean => actor.role === 'admin' || actor.role === 'supervisor';
/** A scheduled KPI report is changed, sent now or deleted by its owner (a supervisor) or an administrator. */
export const canManageReportSchedule = (actor: Actor, ownerId: string): boolean =>
  actor.role === 'admin' || (actor.id === ownerId && canSupervise(actor));
/** Closing a resolved ticket before the customer answered: a supervisor's decision, with a reason. */
export const canOverrideClose = canSupervise;
export const canReadAccessLog = canSupervise;
/** Personal-data requests (PIPL): the privacy desk is for supervisors and admins, who also see the retention runs. */
export const canHandlePrivacy = canSupervise;

/** The roles that take tickets: they can be assigned work and have an agent profile. */
export const WORKER_ROLES: readonly Role[] = ['agent', 'expert', 'supervisor', 'department'];

/**
 * Callbacks to dissatisfied customers: worked by the agents of the callback queue, overseen by
 * supervisors (and administrators).
 */
export function canWorkCallbacks(actor: Actor, callbackTeamId: string | null): boolean {
  if (actor.role === 'supervisor' || actor.role === 'admin') return true;
  return actor.role === 'agent' && callbackTeamId !== null && actor.teamId === callbackTeamId;
}

/** Quality inspection (issue 14): inspectors (and administrators) score samples and calibrate. */
export const canInspect = (actor: Actor): boolean => actor.role === 'qa' || actor.role === 'admin';
/** Agents and experts are the people inspected: they see their reviews and coaching, and dispute. */
export const isInspected = (actor: Actor): boolean => actor.role === 'agent' || actor.role === 'expert';
/** Supervisors (and administrators) decide disputes, coach and see the quality overview. */
export const canSuperviseQuality = canSupervise;
/** Knowledge: every member of staff reads published articles (internal and public); these roles also see drafts. */
export const canReadKnowledgeDrafts = (actor: Actor): boolean => FRONT_OFFICE.includes(actor.role);
/** Writing knowledge (new articles, new draft versions, proposing cases): the front office. */
export const canWriteKnowledge = (actor: Actor): boolean => FRONT_OFFICE.includes(actor.role);
/** Reviewing and publishing knowledge: experts (the knowledge editors), supervisors and administrators. */
export const canReviewKnowledge = (actor: Actor): boolean =>
  actor.role === 'expert' || actor.role === 'supervisor' || actor.role === 'admin';
/**
 * Network incidents (issue 17): created, edited, moved and resolved by network operations (the
 * members of its team) and by supervisors; every staff member may read them (the agents' banner).
 */
export function canManageIncidents(actor: Actor, networkOpsTeamId: string | null): boolean {
  return canSupervise(actor) || (networkOpsTeamId !== null && actor.teamId === networkOpsTeamId);
}

/** Remedies are granted by the front office during a call and by incident managers; approved by supervisors. */
export function canGrantRemedy(actor: Actor, networkOpsTeamId: string | null): boolean {
  return FRONT_OFFICE.includes(actor.role) || canManageIncidents(actor, networkOpsTeamId);
}
export const canApproveRemedy = canSupervise;
