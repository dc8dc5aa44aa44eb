import { FREE_TEXT_FIELDS, TimelineEventBody, type TimelineEvent } from '../contracts/events.js';

type StoredEvent = { id: number; kind: string; data: Record<string, unknown>; createdAt: Date };
type ActorRef = { id: string | null; displayName: string | null } | null;

/**
 * Timeline rows as the API returns them, each checked against its kind's schema. Rows written
 * before the schemas existed are read in today's shape: an old edit's subject and description
 * values are not shown (only that they changed), an automatic mail's sender address is left out.
 * A row no schema accepts is left out rather than failing the whole timeline.
 */
export function presentTimeline(rows: { event: StoredEvent; actor: ActorRef }[]): TimelineEvent[] {
  return rows.flatMap(({ event, actor }) => {
    const body = TimelineEventBody.safeParse({ kind: event.kind, data: upgrade(event.kind, event.data) });
    if (!body.success) return [];
    return [
      {
        ...body.data,
        id: event.id,
        actor: actor?.id && actor.displayName !== null ? { id: actor.id, displayName: actor.displayName } : null,
        createdAt: event.createdAt.toISOString(),
      },
    ];
  });
}

function upgrade(kind: string, data: Record<string, unknown>): Record<string, unknown> {
  if (kind === 'updated' && !('changed' in data)) {
    const before = (data.before ?? {}) as Record<string, unknown>;
    const after = (data.after ?? {}) as Record<string, unknown>;
    const values = (all: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(all).filter(([f]) => !(FREE_TEXT_FIELDS as readonly string[]).includes(f)));
    return { changed: Object.keys(after), before: values(before), after: values(after) };
  }
  if (kind === 'message_added' && 'from' in data) {
    const rest = { ...data };
    delete rest.from;
    return rest;
  }
  return data;
}
