import { moreUrgent, raisedFloor, ticketPriority, type PriorityWeights } from './priority.js';
import { statusAfterAssignment, statusAfterHandoff } from './state-machine.js';
import type { CustomerTier, Priority, TicketStatus, TicketType } from './types.js';

// One vocabulary for every change made to a ticket's classification and placement, whoever
// makes it: a routing rule's effects, an SLA escalation step, an agent's edit, and bulk changes
// (macros, incidents). `applyActions` is the one place that applies them, keeps priority to its
// rule (derived from the facts, never less urgent than the floor), and reports what changed.

/** The ticket as the actions see it. */
export type ActionTicket = {
  type: TicketType;
  categoryId: string | null;
  grade: string;
  subject: string;
  description: string;
  details: Record<string, unknown>;
  tags: string[];
  /** The number to call back on, when it is not the customer's own. */
  contactNumber: string | null;
  priority: Priority;
  priorityFloor: Priority | null;
  teamId: string | null;
  assigneeId: string | null;
  supportLevel: number;
  status: TicketStatus;
};

/** Fields an edit sets to a value the caller has already checked (categories, grades exist). */
export const EDIT_FIELDS = [
  'type',
  'categoryId',
  'grade',
  'subject',
  'description',
  'details',
  'tags',
  'contactNumber',
] as const;
export type EditField = (typeof EDIT_FIELDS)[number];
type EditValue<F extends EditField> = ActionTicket[F];

export type TicketChangeAction =
  /** An agent's correction: the field takes the value, grade down included. */
  | { [F in EditField]: { kind: 'set'; field: F; value: EditValue<F> } }[EditField]
  /** A rule's grade: only ever up (by rank), never down. */
  | { kind: 'raise_grade'; grade: string }
  | { kind: 'add_tag'; tag: string }
  /** A rule's priority, kept as the floor so later edits cannot undo it. */
  | { kind: 'priority_floor'; priority: Priority }
  /** An escalation's raise: one level above the current priority, kept as the floor. */
  | { kind: 'raise_priority' }
  /** To another queue, unassigned; `tier2` also moves it to support level 2 (what an escalation does). */
  | { kind: 'move_to_queue'; teamId: string; tier2?: boolean }
  /** To a person (or back to the queue with null); the status follows. */
  | { kind: 'assign'; assigneeId: string | null };

/** What the actions need beyond the ticket: the customer's tier, the grade ranks and the priority weights. */
export type ActionContext = {
  tier: CustomerTier;
  /** Grade ranks, for `raise_grade`; without them a raise changes nothing. */
  gradeRank?: ((code: string) => number | undefined) | undefined;
  weights?: PriorityWeights | undefined;
};

export type ChangedField =
  EditField | 'priority' | 'priorityFloor' | 'teamId' | 'assigneeId' | 'supportLevel' | 'status';

export type ActionResult = {
  ticket: ActionTicket;
  /** Fields whose value differs from before, in a stable order. */
  changed: ChangedField[];
  before: Partial<ActionTicket>;
  after: Partial<ActionTicket>;
};

const COMPARED: readonly ChangedField[] = [
  ...EDIT_FIELDS,
  'priority',
  'priorityFloor',
  'teamId',
  'assigneeId',
  'supportLevel',
  'status',
];

function applyOne(t: ActionTicket, action: TicketChangeAction, ctx: ActionContext): ActionTicket {
  switch (action.kind) {
    case 'set':
      return { ...t, [action.field]: action.value };
    case 'raise_grade': {
      const to = ctx.gradeRank?.(action.grade);
      const from = ctx.gradeRank?.(t.grade);
      return to !== undefined && (from === undefined || to > from) ? { ...t, grade: action.grade } : t;
    }
    case 'add_tag':
      return t.tags.includes(action.tag) ? t : { ...t, tags: [...t.tags, action.tag] };
    case 'priority_floor':
      return { ...t, priorityFloor: moreUrgent(action.priority, t.priorityFloor) };
    case 'raise_priority':
      return { ...t, priorityFloor: moreUrgent(raisedFloor(t.priority), t.priorityFloor) };
    case 'move_to_queue': {
      if (action.tier2 && t.supportLevel >= 2) return t;
      if (!action.tier2 && t.teamId === action.teamId) return t;
      return {
        ...t,
        teamId: action.teamId,
        assigneeId: null,
        supportLevel: action.tier2 ? 2 : t.supportLevel,
        status: action.tier2 ? statusAfterHandoff(t.status, false) : statusAfterAssignment(t.status, false),
      };
    }
    case 'assign':
      return t.assigneeId === action.assigneeId
        ? t
        : {
            ...t,
            assigneeId: action.assigneeId,
            status: statusAfterAssignment(t.status, action.assigneeId !== null),
          };
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Applies the actions in order, then priority by its rule; returns the new ticket and what changed. */
export function applyActions(
  ticket: ActionTicket,
  actions: readonly TicketChangeAction[],
  ctx: ActionContext,
): ActionResult {
  let next = actions.reduce((t, a) => applyOne(t, a, ctx), ticket);
  // Priority after every action, so a raise counts from the priority the ticket had.
  next = {
    ...next,
    priority: ticketPriority({ type: next.type, grade: next.grade, tier: ctx.tier }, next.priorityFloor, ctx.weights),
  };
  const changed = COMPARED.filter((f) => !same(ticket[f], next[f]));
  const pick = (t: ActionTicket) => Object.fromEntries(changed.map((f) => [f, t[f]])) as Partial<ActionTicket>;
  return { ticket: next, changed, before: pick(ticket), after: pick(next) };
}
