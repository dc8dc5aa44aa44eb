import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  AgentEvent,
  ChatLiveChange,
  IncidentLiveEvent,
  TicketChange,
  type LiveChatEvent,
  type LiveTicketEvent,
} from '../contracts/events.js';
import { CHAT_EVENTS_CHANNEL } from '../usecases/chat/chat-store.js';
import { INCIDENT_EVENTS_CHANNEL } from '../usecases/incidents/incident-access.js';
import { canReadTicket, type Actor } from '../core/auth/policy.js';
import type { Clock } from '../core/clock.js';
import type { Database } from '../db/client.js';
import { AGENT_EVENTS_CHANNEL } from '../usecases/channels/record-call.js';
import { ErrorResponse } from '../contracts/common.js';
import { requireActor } from './auth.js';
import { countAsLiveStream } from './metrics.js';
import { SESSIONS_ENDED_CHANNEL } from './session-cache.js';

// Live updates: a trigger on the timeline NOTIFYs every app node at commit; each node pushes the
// change to its own signed-in browsers over server-sent events, filtered by the same read policy
// as the API, so nobody learns of a ticket they may not see. A stream ends with its session: at
// sign-out (announced to every node by a trigger on the sessions table) or at its expiry.

export const TICKET_CHANGES_CHANNEL = 'loopdesk_ticket_changes';

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
      // One per timeline event, the busiest channel: a node with no stream open reads none of them.
      if (subscribers.size === 0) return;
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
  // Chats (issue 20): the agent serving it, the one it was transferred from, supervisors, and for
  // the queue's moves (queued, accepted, transferred, ended) the members of its team.
  const unlistenChats = await database.listen(CHAT_EVENTS_CHANNEL, (payload) => {
    const parsed = ChatLiveChange.safeParse(JSON.parse(payload));
    if (!parsed.success) return app.log.warn({ payload }, 'unreadable chat event');
    const e = parsed.data;
    const message: LiveChatEvent = {
      conversationId: e.conversationId,
      kind: e.kind,
      ...(e.seq !== undefined ? { seq: e.seq } : {}),
      ...(e.author ? { author: e.author } : {}),
      ...(e.typing !== undefined ? { typing: e.typing } : {}),
    };
    const text = JSON.stringify(message);
    const queueMove = e.kind === 'queued' || e.kind === 'accepted' || e.kind === 'transferred' || e.kind === 'ended';
    for (const s of subscribers) {
      const a = s.actor;
      const hears =
        a.role === 'supervisor' ||
        a.role === 'admin' ||
        (e.agentId !== null && a.id === e.agentId) ||
        (e.fromAgentId != null && a.id === e.fromAgentId) ||
        (queueMove && (a.role === 'agent' || a.role === 'expert') && (e.teamId === null || e.teamId === a.teamId));
      if (hears && alive(s)) s.send('chat', text);
    }
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
    await unlistenChats();
  });

  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['live'],
        summary:
          'Server-sent events: `ticket` ({ticketId, kind, eventId}) for every change to a ticket you may read; `call` (screen pop) when you answer a call; `notification` ({id}) when a notification is written for you (reload the inbox); `incident` ({kind, id}) when a network incident or candidate changes; `chat` ({conversationId, kind, seq?, author?, typing?}) when a chat you serve, or one in your queue, changes (supervisors: every chat); `resync` when changes may have been missed (reload what you show). The stream ends when the session signs out or expires.',
        produces: ['text/event-stream'],
        response: { 200: z.string().describe('text/event-stream'), 401: ErrorResponse },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const session = request.session!;
      reply.hijack();
      countAsLiveStream(request);
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
