import { subtaskAbilities } from '../core/auth/abilities.js';
import type { TicketAccessFacts } from '../core/auth/policy.js';
import { freeTextFor } from '../core/privacy/free-text.js';
import type { TicketStatus } from '../core/tickets/types.js';
import type { Viewer } from './tickets.js';

// Links between tickets and department sub-tasks, as a staff member sees them: their texts
// (a linked ticket's subject, what was asked of a department and what it answered) are free
// text, masked for viewers who may not reveal personal data.

export type LinkRecord = {
  ticketId: string;
  number: string;
  status: TicketStatus;
  subject: string;
  kind: string;
  direction: 'outgoing' | 'incoming';
  createdAt: string;
};

export function presentLink(link: LinkRecord, viewer: Viewer): LinkRecord {
  return { ...link, subject: freeTextFor(viewer)(link.subject) };
}

export type SubtaskRecord = {
  task: {
    id: string;
    teamId: string;
    assigneeId: string | null;
    title: string;
    description: string;
    blocking: boolean;
    status: string;
    dueAt: Date | null;
    result: string | null;
    createdAt: Date;
    completedAt: Date | null;
  };
  teamName: string;
};

/** A sub-task as `viewer` sees it, with what they may do to it now. */
export function presentSubtask({ task, teamName }: SubtaskRecord, viewer: Viewer, ticket: TicketAccessFacts) {
  const text = freeTextFor(viewer);
  return {
    id: task.id,
    teamId: task.teamId,
    teamName,
    assigneeId: task.assigneeId,
    title: text(task.title),
    description: text(task.description),
    blocking: task.blocking,
    status: task.status as 'open' | 'done' | 'cancelled',
    dueAt: task.dueAt?.toISOString() ?? null,
    result: task.result === null ? null : text(task.result),
    createdAt: task.createdAt.toISOString(),
    completedAt: task.completedAt?.toISOString() ?? null,
    abilities: subtaskAbilities(viewer, task, ticket),
  };
}
