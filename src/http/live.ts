import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AgentEvent, IncidentLiveEvent, TicketChange, type LiveTicketEvent } from '../contracts/events.js';
import { INCIDENT_EVENTS_CHANNEL } from '../usecases/incidents/incident-access.js';
import { canReadTicket, type Actor } from '../core/auth/policy.js';
import type { Clock } from '../core/clock.js';
import type { Database } from '../db/client.js';
import { AGENT_EVENTS_CHANNEL } from '../usecases/channels/record-call.js';
import { ErrorResponse } from '../contracts/common.js';
import { requireActor } from './auth.js';

// Live updates: a trigger on the timeline NOTIFYs every app node at commit; each node pushes the
// change to its own signed-in browsers over server-sent events, filtered by the same read policy
// as the API, so nobody learns of a ticket they may not see. A stream ends with its session: at
// sign-out (announced to every node by a trigger on the sessions table) or at its expiry.

export const TICKET_CHANGES_CHANNEL = 'loopdesk_ticket_changes';
/** A session was deleted (sign-out): its event streams end on every node. */
export const SESSIONS_ENDED_CHANNEL = 'loopdesk_sessions_ended';

const SessionEnded = z.object({ tokenHash: z.string() });

type Subscriber = {
  actor: Actor;
  tokenHash: string;
  expiresAt: Date;
  send(event: string, data: string): void;
  end(): void;
};

const HEARTBEAT_MS = 25_000;

export async function registerLiveUpdates(app: FastifyInstance, database: Database, clock: Clock): Promise<void> {
  const subscribers = new Set<Subscriber>();
  /** A stream lives as long as its session: past the expiry it ends instead of sending. */
  const alive = (s: Subscriber) => {
    if (clock.now() < s.expiresAt) return true;
    s.end();
    return false;
  };
  // Changes made while the LISTEN connection was down were never heard: browsers reload what they show.
  const resync = () => {
    for (const s of subscribers) if (alive(s)) s.send('resync', '{}');
  };
  const unlisten = await database.listen(
    TICKET_CHANGES_CHANNEL,
    (payload) => {
      const parsed = TicketChange.safeParse(JSON.parse(payload));
      if (!parsed.success) return app.log.warn({ payload }, 'unreadable ticket change notification');
      const change = parsed.data;
      const message: LiveTicketEvent = { ticketId: change.ticketId, kind: change.kind, eventId: change.eventId };
      const text = JSON.stringify(message);
      for (const s of subscribers) if (canReadTicket(s.actor, change) && alive(s)) s.send('ticket', text);
    },
    resync,
  );
  // Screen pops and new notifications, addressed to one person.
  const unlistenAgents = await database.listen(AGENT_EVENTS_CHANNEL, (payload) => {
    const parsed = AgentEvent.safeParse(JSON.parse(payload));
    if (!parsed.success) return app.log.warn({ payload }, 'unreadable agent event');
    const { agentId, kind, ...data } = parsed.data;
    for (const s of subscribers) if (s.actor.id === agentId && alive(s)) s.send(kind, JSON.stringify(data));
  });
  // Network incidents and candidates changed: every signed-in desk reloads what shows them.
  const unlistenIncidents = await database.listen(INCIDENT_EVENTS_CHANNEL, (payload) => {
    const parsed = IncidentLiveEvent.safeParse(JSON.parse(payload));
    if (!parsed.success) return app.log.warn({ payload }, 'unreadable incident event');
    const text = JSON.stringify(parsed.data);
    for (const s of subscribers) if (alive(s)) s.send('incident', text);
  });
  const unlistenSessions = await database.listen(SESSIONS_ENDED_CHANNEL, (payload) => {
    const parsed = SessionEnded.safeParse(JSON.parse(payload));
    if (!parsed.success) return;
    for (const s of subscribers) if (s.tokenHash === parsed.data.tokenHash) s.end();
  });
  // Open event streams would keep the server from closing.
  app.addHook('preClose', async () => {
    for (const s of subscribers) s.end();
    await unlisten();
    await unlistenAgents();
    await unlistenSessions();
    await unlistenIncidents();
  });

  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['live'],
        summary:
          'Server-sent events: `ticket` ({ticketId, kind, eventId}) for every change to a ticket you may read; `call` (screen pop) when you answer a call; `notification` ({id}) when a notification is written for you (reload the inbox); `incident` ({kind, id}) when a network incident or candidate changes; `resync` when changes may have been missed (reload what you show). The stream ends when the session signs out or expires.',
        produces: ['text/event-stream'],
        response: { 200: z.string().describe('text/event-stream'), 401: ErrorResponse },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const session = request.session!;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // tell nginx-style proxies not to buffer the stream
      });
      raw.write('retry: 3000\n\n');
      const subscriber: Subscriber = {
        actor,
        tokenHash: session.tokenHash,
        expiresAt: session.expiresAt,
        send: (event, data) => raw.write(`event: ${event}\ndata: ${data}\n\n`),
        end: () => {
          stop();
          raw.end();
        },
      };
      const heartbeat = setInterval(() => {
        if (alive(subscriber)) raw.write(': ping\n\n');
      }, HEARTBEAT_MS);
      const stop = () => {
        clearInterval(heartbeat);
        subscribers.delete(subscriber);
      };
      subscribers.add(subscriber);
      request.raw.on('close', stop);
    },
  );
}
