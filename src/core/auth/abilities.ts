import { OPEN_STATUSES, TICKET_ACTIONS, availableActions, type TicketAction } from '../tickets/state-machine.js';
import type { TicketStatus } from '../tickets/types.js';
import {
  WORKER_ROLES,
  canAddInternalNote,
  canAdminister,
  canHandlePrivacy,
  canWorkCallbacks,
  canManageIncidents,
  canAssign,
  canOverrideClose,
  canCreateTicket,
  canFinishSubtask,
  canReadAccessLog,
  canReadCustomers,
  canReviewKnowledge,
  canWriteKnowledge,
  canRevealPii,
  canSupervise,
  canInspect,
  canSuperviseQuality,
  isInspected,
  canWorkTicket,
  canWriteCustomers,
  type Actor,
  type TicketAccessFacts,
} from './policy.js';

// What a viewer may do now, from the access policy and the state machine together, so that a
// response can say it and the desk offers nothing the server would refuse. One function per
// scope (a ticket; the desk as a whole); the use cases keep enforcing the same rules.

/** Everything that can be done to one ticket, besides the lifecycle moves of the state machine. */
export const TICKET_ABILITIES = [
  ...TICKET_ACTIONS,
  'edit',
  'reply',
  'add_note',
  'attach',
  'take',
  'assign',
  'escalate',
  'de_escalate',
  'add_subtask',
  'merge',
  'link',
  /** Record the customer's answer to a resolution (solved / not solved), e.g. given on the phone. */
  'record_confirmation',
] as const;
export type TicketAbility = (typeof TICKET_ABILITIES)[number];

export type TicketAbilityFacts = {
  access: TicketAccessFacts;
  status: TicketStatus;
  hasPublicReply: boolean;
  openBlockingSubtasks: number;
  supportLevel: number;
  mergedIntoId: string | null;
  /**
   * Whether the viewer holds, valid now, every certification the ticket needs (the one rule is
   * `missingCertifications` in core/routing/assignment.ts; the use case loads the viewer's
   * certifications once per request and applies it).
   */
  viewerCertified: boolean;
};

/**
 * The actions `viewer` may take on a ticket they may read, in the order of `TICKET_ABILITIES`.
 * A lifecycle move is offered only when the viewer may work the ticket and the state machine
 * allows it from here (so never `resolve` before a public reply).
 */
export function ticketAbilities(viewer: Actor, t: TicketAbilityFacts): TicketAbility[] {
  const works = canWorkTicket(viewer, t.access);
  const open = OPEN_STATUSES.includes(t.status);
  const moves: readonly TicketAction[] = works
    ? availableActions({
        status: t.status,
        hasAssignee: t.access.assigneeId !== null,
        hasPublicReply: t.hasPublicReply,
        openBlockingSubtasks: t.openBlockingSubtasks,
        // Closing without the customer's answer is a supervisor's override (with a reason).
        closeReason: canOverrideClose(viewer) ? 'supervisor_override' : undefined,
      })
    : [];
  const granted: Record<Exclude<TicketAbility, TicketAction>, boolean> = {
    edit: works && open,
    reply: works && t.status !== 'closed',
    add_note: canAddInternalNote(viewer, t.access) && t.status !== 'closed',
    attach: canAddInternalNote(viewer, t.access),
    // Taking work is for the roles that hold tickets, on an open ticket nobody holds yet, and only
    // for someone the certification rule lets hold it (the server refuses the others with 409).
    take:
      open &&
      t.access.assigneeId === null &&
      t.viewerCertified &&
      WORKER_ROLES.includes(viewer.role) &&
      canAssign(viewer, t.access, viewer.id),
    // Anyone-but-yourself: only supervisors and admins pass the policy for another assignee.
    assign: open && canAssign(viewer, t.access, null),
    escalate: works && open && t.supportLevel < 2,
    de_escalate: works && open && t.supportLevel >= 2,
    add_subtask: works && open,
    merge: works && open && t.mergedIntoId === null,
    link: works,
    record_confirmation: works && t.status === 'resolved',
  };
  return TICKET_ABILITIES.filter((a) => (isMove(a) ? moves.includes(a) : granted[a]));
}

const isMove = (a: TicketAbility): a is TicketAction => (TICKET_ACTIONS as readonly string[]).includes(a);

export const SUBTASK_ABILITIES = ['complete', 'cancel'] as const;
export type SubtaskAbility = (typeof SUBTASK_ABILITIES)[number];

/** What `viewer` may do to a department sub-task of a ticket they may read. */
export function subtaskAbilities(
  viewer: Actor,
  task: { teamId: string; assigneeId: string | null; status: string },
  ticket: TicketAccessFacts,
): SubtaskAbility[] {
  if (task.status !== 'open') return [];
  return SUBTASK_ABILITIES.filter((verb) => canFinishSubtask(viewer, task, ticket, verb));
}

/** What the desk as a whole offers a staff member (menus, pages, buttons not tied to one ticket). */
export const STAFF_ABILITIES = [
  'create_ticket',
  'read_customers',
  'write_customers',
  'reveal_pii',
  'supervise',
  'read_access_log',
  'administer',
  'work_callbacks',
  /** Quality inspection: my samples, scoring, calibration. */
  'inspect_quality',
  /** Quality overview, dispute decisions, coaching. */
  'supervise_quality',
  /** My QA reviews and coaching (acknowledge / dispute). */
  'my_reviews',
  'handle_privacy',
  /** Knowledge: write articles and draft versions, propose cases. */
  'write_knowledge',
  /** Knowledge: review, approve, publish, archive and verify articles. */
  'review_knowledge',
  /** Create, edit, move and resolve network incidents; confirm or dismiss candidates. */
  'manage_incidents',
] as const;
export type StaffAbility = (typeof STAFF_ABILITIES)[number];

/** `callbackTeamId`: the callback queue, whose agents work callbacks (with supervisors). */
export function staffAbilities(
  viewer: Actor,
  ctx: { callbackTeamId?: string | null; networkOpsTeamId?: string | null } = {},
): StaffAbility[] {
  const granted: Record<StaffAbility, boolean> = {
    create_ticket: canCreateTicket(viewer),
    read_customers: canReadCustomers(viewer),
    write_customers: canWriteCustomers(viewer),
    reveal_pii: canRevealPii(viewer),
    supervise: canSupervise(viewer),
    read_access_log: canReadAccessLog(viewer),
    administer: canAdminister(viewer),
    work_callbacks: canWorkCallbacks(viewer, ctx.callbackTeamId ?? null),
    inspect_quality: canInspect(viewer),
    supervise_quality: canSuperviseQuality(viewer),
    my_reviews: isInspected(viewer),
    handle_privacy: canHandlePrivacy(viewer),
    write_knowledge: canWriteKnowledge(viewer),
    review_knowledge: canReviewKnowledge(viewer),
    manage_incidents: canManageIncidents(viewer, ctx.networkOpsTeamId ?? null),
  };
  return STAFF_ABILITIES.filter((a) => granted[a]);
}
