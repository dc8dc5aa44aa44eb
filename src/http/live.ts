import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { canReadTicket, type Actor } from '../core/auth/policy.js';
import type { Database } from '../db/client.js';
import { AGENT_EVENTS_CHANNEL } from '../usecases/channels/record-call.js';
import { ErrorResponse } from '../contracts/common.js';
import { requireActor } from './auth.js';

// Live updates: a trigger on the timeline NOTIFYs every app node at commit; each node pushes the
// change to its own signed-in browsers over server-sent events, filtered by the same read policy
// as the API, so nobody learns of a ticket they may not see.

export const TICKET_CHANGES_CHANNEL = 'loopdesk_ticket_changes';

const TicketChange = z.object({
  ticketId: z.uuid(),
  kind: z.string(),
  eventId: z.number(),
  teamId: z.uuid().nullable(),
  teamRestricted: z.boolean(),
  assigneeId: z.uuid().nullable(),
  firstContactOwnerId: z.uuid(),
});

const AgentEvent = z.looseObject({ agentId: z.uuid(), kind: z.enum(['call']) });

type Subscriber = { actor: Actor; send(event: string, data: string): void; end(): void };

const HEARTBEAT_MS = 25_000;

export async function registerLiveUpdates(app: FastifyInstance, database: Database): Promise<void> {
  const subscribers = new Set<Subscriber>();
  // Changes made while the LISTEN connection was down were never heard: browsers reload what they show.
  const resync = () => {
    for (const s of subscribers) s.send('resync', '{}');
  };
  const unlisten = await database.listen(
    TICKET_CHANGES_CHANNEL,
    (payload) => {
      const parsed = TicketChange.safeParse(JSON.parse(payload));
      if (!parsed.success) return app.log.warn({ payload }, 'unreadable ticket change notification');
      const change = parsed.data;
      const message = JSON.stringify({ ticketId: change.ticketId, kind: change.kind, eventId: change.eventId });
      for (const s of subscribers) if (canReadTicket(s.actor, change)) s.send('ticket', message);
    },
    resync,
  );
  // Screen pops and other events addressed to one person.
  const unlistenAgents = await database.listen(AGENT_EVENTS_CHANNEL, (payload) => {
    const parsed = AgentEvent.safeParse(JSON.parse(payload));
    if (!parsed.success) return app.log.warn({ payload }, 'unreadable agent event');
    const { agentId, kind, ...data } = parsed.data;
    for (const s of subscribers) if (s.actor.id === agentId) s.send(kind, JSON.stringify(data));
  });
  // Open event streams would keep the server from closing.
  app.addHook('preClose', async () => {
    for (const s of subscribers) s.end();
    await unlisten();
    await unlistenAgents();
  });

  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['live'],
        summary:
          'Server-sent events: `ticket` ({ticketId, kind, eventId}) for every change to a ticket you may read; `call` (screen pop) when you answer a call; `resync` when changes may have been missed (reload what you show)',
        produces: ['text/event-stream'],
        response: { 200: z.string().describe('text/event-stream'), 401: ErrorResponse },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // tell nginx-style proxies not to buffer the stream
      });
      raw.write('retry: 3000\n\n');
      const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
      const subscriber: Subscriber = {
        actor,
        send: (event, data) => raw.write(`event: ${event}\ndata: ${data}\n\n`),
        end: () => raw.end(),
      };
      subscribers.add(subscriber);
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        subscribers.delete(subscriber);
      });
    },
  );
}
