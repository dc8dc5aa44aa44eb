import { freeTextFor } from '../core/privacy/free-text.js';
import { withoutHiddenTickets } from '../core/tickets/ticket-references.js';
import { FREE_TEXT_FIELDS, TimelineEventBody, type TimelineEvent } from '../contracts/events.js';
import type { Viewer } from './tickets.js';

type StoredEvent = { id: number; kind: string; data: Record<string, unknown>; createdAt: Date };
type ActorRef = { id: string | null; displayName: string | null } | null;
export type TimelineRecord = { event: StoredEvent; actor: ActorRef };

/**
 * Timeline rows as the API returns them to `viewer`, each checked against its kind's schema.
 * Another ticket an entry names appears only if the viewer may read it (`readable`); otherwise the
 * entry says `hiddenTicket: true` without its id or number. Numbers in the entry's texts (notes,
 * sub-task titles) are masked for viewers who may not reveal personal data.
 * Rows written before the schemas existed are read in today's shape: an old edit's subject and
 * description values are not shown (only that they changed), an automatic mail's sender address is
 * left out. A row no schema accepts is left out rather than failing the whole timeline.
 */
export function presentTimeline(
  rows: TimelineRecord[],
  viewer: Viewer,
  readable: ReadonlySet<string>,
): TimelineEvent[] {
  const text = freeTextFor(viewer);
  return rows.flatMap(({ event, actor }) => {
    const data = withoutHiddenTickets(event.kind, upgrade(event.kind, event.data), (id) => readable.has(id));
    const body = TimelineEventBody.safeParse({ kind: event.kind, data: mapText(data, text) });
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every string in an entry's data through `text`, except ids. */
function mapText(value: unknown, text: (s: string) => string): unknown {
  if (typeof value === 'string') return UUID.test(value) ? value : text(value);
  if (Array.isArray(value)) return value.map((v) => mapText(v, text));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapText(v, text)]));
  return value;
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
