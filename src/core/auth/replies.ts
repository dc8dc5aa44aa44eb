import type { Actor } from './policy.js';

// Who uses and who manages managed replies and macros (快捷回复). Everyone who works tickets uses the
// global replies, their team's and their own. Personal replies are managed by their owner alone;
// a team's by the supervisors of that team (and administrators); global ones by supervisors and
// administrators. Someone who may not even use a reply is told it does not exist.

export const REPLY_SCOPES = ['personal', 'team', 'global'] as const;
export type ReplyScope = (typeof REPLY_SCOPES)[number];
export type ReplyHolder = { scope: ReplyScope; ownerId: string | null; teamId: string | null };

/** Staff who write to customers or on tickets; QA inspect and do not use replies. */
const USES_REPLIES = (actor: Actor) => actor.role !== 'qa';

export function canUseReply(actor: Actor, reply: ReplyHolder): boolean {
  if (!USES_REPLIES(actor)) return false;
  switch (reply.scope) {
    case 'personal':
      return reply.ownerId === actor.id;
    case 'team':
      return actor.role === 'admin' || (actor.teamId !== null && reply.teamId === actor.teamId);
    case 'global':
      return true;
    default:
      return reply.scope satisfies never;
  }
}

export function canManageReply(actor: Actor, reply: ReplyHolder): boolean {
  switch (reply.scope) {
    case 'personal':
      return USES_REPLIES(actor) && reply.ownerId === actor.id;
    case 'team':
      return (
        actor.role === 'admin' ||
        (actor.role === 'supervisor' && actor.teamId !== null && reply.teamId === actor.teamId)
      );
    case 'global':
      return actor.role === 'admin' || actor.role === 'supervisor';
    default:
      return reply.scope satisfies never;
  }
}

/** The scopes this person may create replies in, with the team a team reply goes to. */
export function creatableReplyScopes(actor: Actor): ReplyScope[] {
  return REPLY_SCOPES.filter((scope) =>
    canManageReply(actor, {
      scope,
      ownerId: scope === 'personal' ? actor.id : null,
      teamId: scope === 'team' ? actor.teamId : null,
    }),
  ).filter((scope) => scope !== 'team' || actor.teamId !== null || actor.role === 'admin');
}
