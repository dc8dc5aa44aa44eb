import { AppError } from '../errors/app-error.js';
import { canTransition, isOpen, type TicketAction, type TransitionFacts } from '../tickets/state-machine.js';

// A macro is a managed reply that also acts on the ticket in one step: tags, grade, an internal
// note and a status change, applied through the same use cases an agent's own clicks go through.
// `planMacro` decides up front, from the ticket's facts, whether all of it can apply; a macro that
// cannot is refused whole (`macro.not_applicable`), never applied in part.

export type MacroActions = {
  /** A lifecycle move of the state machine (e.g. wait_customer, resolve). */
  status?: TicketAction;
  /** Tags added to the ticket's tags (kept once, in order). */
  addTags?: string[];
  /** A grade code (general, major, urgent … as configured). */
  grade?: string;
  /** An internal note; placeholders are filled for the person applying it. */
  note?: string;
};

export const isMacro = (actions: MacroActions): boolean =>
  actions.status !== undefined ||
  (actions.addTags?.length ?? 0) > 0 ||
  actions.grade !== undefined ||
  (actions.note?.trim().length ?? 0) > 0;

export type MacroTicketFacts = TransitionFacts & { tags: readonly string[]; grade: string };

/** What applying the macro changes, in the order it is applied: edit, note, message, status. */
export type MacroPlan = {
  edit: { tags?: string[]; grade?: string } | null;
  note: string | null;
  status: TicketAction | null;
};

export type MacroRefusal = 'invalid_transition' | 'reply_required' | 'blocking_subtasks_open' | 'ticket_not_open';

/**
 * The steps of a macro for a ticket, or a refusal naming why it cannot apply. `willReply` says the
 * agent's public reply goes out with the macro (so a `resolve` after it satisfies the closed loop).
 */
export function planMacro(
  actions: MacroActions,
  ticket: MacroTicketFacts,
  opts: { willReply: boolean },
): { ok: true; plan: MacroPlan } | { ok: false; reason: MacroRefusal } {
  const tags = actions.addTags?.length ? [...new Set([...ticket.tags, ...actions.addTags])] : undefined;
  const edit = {
    ...(tags && tags.length !== ticket.tags.length ? { tags } : {}),
    ...(actions.grade !== undefined && actions.grade !== ticket.grade ? { grade: actions.grade } : {}),
  };
  const hasEdit = Object.keys(edit).length > 0;
  if ((hasEdit || actions.addTags?.length || actions.grade !== undefined) && !isOpen(ticket.status))
    return { ok: false, reason: 'ticket_not_open' };
  if (actions.note && ticket.status === 'closed') return { ok: false, reason: 'ticket_not_open' };
  if (actions.status) {
    const facts = { ...ticket, hasPublicReply: ticket.hasPublicReply || opts.willReply };
    if (!canTransition(actions.status, facts)) {
      const reason: MacroRefusal = !canTransition(actions.status, { ...facts, hasPublicReply: true })
        ? (facts.openBlockingSubtasks ?? 0) > 0 &&
          canTransition(actions.status, { ...facts, hasPublicReply: true, openBlockingSubtasks: 0 })
          ? 'blocking_subtasks_open'
          : 'invalid_transition'
        : 'reply_required';
      return { ok: false, reason };
    }
  }
  return {
    ok: true,
    plan: {
      edit: hasEdit ? edit : null,
      note: actions.note?.trim() ? actions.note : null,
      status: actions.status ?? null,
    },
  };
}

const REFUSAL_TEXT: Record<MacroRefusal, string> = {
  invalid_transition: 'The macro’s status change is not allowed from the ticket’s current status',
  reply_required: 'The macro resolves the ticket, but the customer has had no public reply yet (closed loop)',
  blocking_subtasks_open: 'The macro resolves the ticket, but blocking department tasks are still open',
  ticket_not_open: 'The macro edits the ticket, which is resolved or closed; reopen it first',
};

/** `planMacro`, throwing `macro.not_applicable` (409) with the reason when it cannot apply. */
export function planMacroOrThrow(
  actions: MacroActions,
  ticket: MacroTicketFacts,
  opts: { willReply: boolean },
): MacroPlan {
  const result = planMacro(actions, ticket, opts);
  if (result.ok) return result.plan;
  throw new AppError('macro.not_applicable', REFUSAL_TEXT[result.reason], {
    reason: result.reason,
    status: ticket.status,
    ...(actions.status ? { action: actions.status } : {}),
  });
}
