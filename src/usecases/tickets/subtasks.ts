import { asc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canFinishSubtask, canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { assertOpen } from '../../core/tickets/state-machine.js';
import { subtasks, teams, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { completeTarget, startNodeTarget } from '../sla/sla-lifecycle.js';
import { loadTicketFor } from './load-ticket.js';
import { notifyStaff } from './notify.js';
import { recordEvent } from './record-event.js';
import { checkActiveStaff } from './references.js';

export type SubtaskInput = {
  teamId: string;
  title: string;
  description: string;
  blocking: boolean;
  assigneeId?: string | undefined;
  /** The node time limit, on the business calendar. */
  dueInMinutes?: number | undefined;
};

const nodeMetric = (subtaskId: string) => `subtask:${subtaskId}`;
const SUBTASK_CALENDAR = 'cn-business';

/**
 * Hands part of the work to another department (network operations, billing, field engineers).
 * The ticket stays with its owner; the department sees the ticket through the sub-task.
 */
export async function createSubtask(deps: Deps, actor: Actor, ticketId: string, input: SubtaskInput): Promise<string> {
  const now = deps.clock.now();
  const id = uuidv7();
  await deps.db.transaction(async (tx) => {
    const { ticket, access } = await loadTicketFor(tx, actor, ticketId, { forUpdate: true });
    if (!canWorkTicket(actor, access))
      throw new AppError('auth.forbidden', 'You cannot hand work out from this ticket');
    assertOpen(ticket.status);
    const [team] = await tx.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, input.teamId));
    if (!team) throw new AppError('ticket.unknown_reference', 'No such team', { field: 'teamId' });
    if (input.assigneeId) await checkActiveStaff(tx, input.assigneeId);
    const dueAt = input.dueInMinutes
      ? await startNodeTarget(
          tx,
          ticketId,
          { metric: nodeMetric(id), limitMinutes: input.dueInMinutes, calendarId: SUBTASK_CALENDAR },
          now,
        )
      : null;
    await tx.insert(subtasks).values({
      id,
      ticketId,
      teamId: team.id,
      assigneeId: input.assigneeId ?? null,
      title: input.title,
      description: input.description,
      blocking: input.blocking,
      dueAt,
      createdById: actor.id,
      createdAt: now,
    });
    if (input.assigneeId)
      await notifyStaff(
        tx,
        [
          {
            kind: 'subtask.assigned',
            ticketId,
            recipientId: input.assigneeId,
            payload: { subtaskId: id, title: input.title, number: ticket.number },
          },
        ],
        now,
      );
    await recordEvent(tx, {
      ticketId,
      actorId: actor.id,
      kind: 'subtask_created',
      at: now,
      data: {
        subtaskId: id,
        teamId: team.id,
        teamName: team.name,
        title: input.title,
        blocking: input.blocking,
        dueAt: dueAt?.toISOString() ?? null,
      },
    });
  });
  return id;
}

/** The department reports back; the first-contact owner is told. */
export async function completeSubtask(deps: Deps, actor: Actor, subtaskId: string, result: string): Promise<void> {
  await finish(deps, actor, subtaskId, 'done', result);
}

export async function cancelSubtask(deps: Deps, actor: Actor, subtaskId: string, reason: string): Promise<void> {
  await finish(deps, actor, subtaskId, 'cancelled', reason);
}

async function finish(deps: Deps, actor: Actor, subtaskId: string, status: 'done' | 'cancelled', text: string) {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [task] = await tx.select().from(subtasks).where(eq(subtasks.id, subtaskId)).for('update');
    if (!task) throw notFound('Sub-task');
    const inDepartment = actor.teamId === task.teamId || actor.id === task.assigneeId;
    // The department no longer sees the parent once its work is done: tell it why, not "not found".
    if (inDepartment && task.status !== 'open')
      throw new AppError('subtask.invalid_state', `The sub-task is already ${task.status}`);
    const { ticket, access } = await loadTicketFor(tx, actor, task.ticketId).catch(() => {
      throw notFound('Sub-task');
    });
    if (!canFinishSubtask(actor, task, access, status === 'done' ? 'complete' : 'cancel'))
      throw new AppError(
        'auth.forbidden',
        status === 'done'
          ? 'Only the department or the ticket’s handlers can finish this'
          : 'Only the ticket’s handlers can cancel this',
      );
    if (task.status !== 'open') throw new AppError('subtask.invalid_state', `The sub-task is already ${task.status}`);
    await tx.update(subtasks).set({ status, result: text, completedAt: now }).where(eq(subtasks.id, subtaskId));
    await completeTarget(tx, task.ticketId, nodeMetric(subtaskId), now);
    await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, task.ticketId));
    const owner = ticket.firstContactOwnerId ?? ticket.assigneeId;
    if (owner && owner !== actor.id) {
      await notifyStaff(
        tx,
        [
          {
            kind: status === 'done' ? 'subtask.done' : 'subtask.cancelled',
            ticketId: task.ticketId,
            recipientId: owner,
            payload: { subtaskId, title: task.title, number: ticket.number, result: text },
          },
        ],
        now,
      );
    }
    await recordEvent(tx, {
      ticketId: task.ticketId,
      actorId: actor.id,
      kind: status === 'done' ? 'subtask_completed' : 'subtask_cancelled',
      at: now,
      data: { subtaskId, title: task.title, result: text },
    });
  });
}

/** The ticket's sub-tasks, with the ticket's access facts (what the reader may do to each follows from them). */
export async function listSubtasks(deps: Deps, actor: Actor, ticketId: string) {
  const { access } = await loadTicketFor(deps.db, actor, ticketId);
  const rows = await deps.db
    .select({ task: subtasks, teamName: teams.name })
    .from(subtasks)
    .innerJoin(teams, eq(teams.id, subtasks.teamId))
    .where(eq(subtasks.ticketId, ticketId))
    .orderBy(asc(subtasks.createdAt));
  return { rows, access };
}
