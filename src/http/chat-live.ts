import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChatLiveChange, ChatMessageNotice } from '../contracts/events.js';
import type { ChatCustomerView } from '../contracts/chat.js';
import type { Clock } from '../core/clock.js';
import type { Database } from '../db/client.js';
import { presentChatMessage } from '../presenters/chat.js';
import { chatSettingsOf } from '../usecases/chat/chat-settings.js';
import { customerViewOf } from '../usecases/chat/chat-rules.js';
import { CHAT_EVENTS_CHANNEL, CHAT_MESSAGES_CHANNEL, messagesAfter } from '../usecases/chat/chat-store.js';
import { chatConversations } from '../db/schema.js';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { countAsLiveStream } from './metrics.js';

// The customer's live chat (server-sent events). Each stream remembers the last seq it sent; a
// notice (NOTIFY at commit, from any node) makes it read the messages after that seq from the
// database, one read at a time per stream, so a message is sent once and in order whatever
// notices are lost, repeated or late. A reconnect names its last seq (Last-Event-ID or ?after=)
// and gets everything after it first. Typing, queue position and state changes come as events.
// Presence: the node records when a customer's stream opens, every `presenceMs` while it stays open
// (one UPDATE for all of this node's streams) and when it closes, in customer_stream_at; the
// customer-inactivity limit (job chat-idle) counts from there, whichever node the stream is on.

type Stream = {
  conversationId: string;
  lastSeq: number;
  /** From the last view sent: whose queue it waits in, to refresh its position when that queue moves. */
  queuedTeam: string | null | undefined;
  chain: Promise<void>;
  write(text: string): void;
  end(): void;
};

const HEARTBEAT_MS = 25_000;

export type ChatHub = {
  open(request: FastifyRequest, reply: FastifyReply, conversationId: string, after: number): void;
  close(): Promise<void>;
  /** Open streams on this node (the bench reads it). */
  size(): number;
};

export async function startChatHub(
  database: Database,
  clock: Clock,
  log: FastifyRequest['log'] | null,
  opts: { presenceMs?: number } = {},
): Promise<ChatHub> {
  const db = database.db;
  const markPresent = async (ids: readonly string[]) => {
    for (let i = 0; i < ids.length; i += 1000)
      await db
        .update(chatConversations)
        .set({ customerStreamAt: clock.now() })
        .where(and(inArray(chatConversations.id, ids.slice(i, i + 1000)), ne(chatConversations.state, 'ended')));
  };
  const present = (ids: readonly string[]) =>
    markPresent(ids).catch((err: unknown) => log?.warn({ err }, 'chat stream presence not recorded'));
  const streams = new Map<string, Set<Stream>>();
  const each = (id: string, f: (s: Stream) => void) => {
    for (const s of streams.get(id) ?? []) f(s);
  };
  const enqueue = (s: Stream, work: () => Promise<void>) => {
    s.chain = s.chain.then(work).catch((err: unknown) => log?.warn({ err }, 'chat stream read failed'));
  };
  const catchUp = (s: Stream) =>
    enqueue(s, async () => {
      for (;;) {
        const rows = await messagesAfter(db, s.conversationId, s.lastSeq, 200);
        for (const r of rows) {
          s.write(`id: ${r.seq}\nevent: message\ndata: ${JSON.stringify(presentChatMessage(r))}\n\n`);
          s.lastSeq = r.seq;
        }
        if (rows.length < 200) return;
      }
    });
  const sendView = (s: Stream) =>
    enqueue(s, async () => {
      const [c] = await db.select().from(chatConversations).where(eq(chatConversations.id, s.conversationId));
      if (!c) return;
      const view: ChatCustomerView = await customerViewOf(db, c, await chatSettingsOf(db), clock.now());
      s.queuedTeam = view.state === 'queued' ? c.teamId : undefined;
      s.write(`event: conversation\ndata: ${JSON.stringify(view)}\n\n`);
    });

  const unlistenMessages = await database.listen(
    CHAT_MESSAGES_CHANNEL,
    (payload) => {
      const parsed = ChatMessageNotice.safeParse(JSON.parse(payload));
      if (!parsed.success) return;
      each(parsed.data.conversationId, (s) => {
        if (parsed.data.seq > s.lastSeq) catchUp(s);
      });
    },
    // The LISTEN connection came back: anything may have been missed; every stream reads again.
    () => {
      for (const set of streams.values())
        for (const s of set) {
          catchUp(s);
          sendView(s);
        }
    },
  );
  const unlistenEvents = await database.listen(CHAT_EVENTS_CHANNEL, (payload) => {
    const parsed = ChatLiveChange.safeParse(JSON.parse(payload));
    if (!parsed.success) return;
    const e = parsed.data;
    if (e.kind === 'typing') {
      if (e.author === 'agent')
        each(e.conversationId, (s) =>
          s.write(`event: typing\ndata: ${JSON.stringify({ typing: e.typing ?? false })}\n\n`),
        );
      return;
    }
    if (e.kind === 'message' || e.kind === 'first_response_warning') return;
    each(e.conversationId, sendView);
    // The queue moved: everyone waiting in it gets their new place.
    for (const set of streams.values())
      for (const s of set) if (s.conversationId !== e.conversationId && s.queuedTeam === e.teamId) sendView(s);
  });

  const presence = setInterval(() => {
    if (streams.size > 0) void present([...streams.keys()]);
  }, opts.presenceMs ?? 30_000);
  presence.unref();

  return {
    open(request, reply, conversationId, after) {
      reply.hijack();
      countAsLiveStream(request); // a stream, not a request in flight (overload limit, metrics)
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 3000\n\n');
      const stream: Stream = {
        conversationId,
        lastSeq: after,
        queuedTeam: undefined,
        chain: Promise.resolve(),
        write: (text) => {
          if (!raw.writableEnded) raw.write(text);
        },
        end: () => {
          stop();
          raw.end();
        },
      };
      const heartbeat = setInterval(() => stream.write(': ping\n\n'), HEARTBEAT_MS);
      let stopped = false;
      const stop = () => {
        if (stopped) return;
        stopped = true;
        clearInterval(heartbeat);
        const set = streams.get(conversationId);
        set?.delete(stream);
        if (set?.size === 0) streams.delete(conversationId);
        // The stream went: the customer-inactivity limit runs from now.
        void present([conversationId]);
      };
      // Subscribed before the first read: a message stored meanwhile is read by one or the other.
      const set = streams.get(conversationId) ?? new Set<Stream>();
      set.add(stream);
      streams.set(conversationId, set);
      request.raw.on('close', stop);
      enqueue(stream, () => markPresent([conversationId]));
      sendView(stream);
      catchUp(stream);
    },
    async close() {
      clearInterval(presence);
      for (const set of streams.values()) for (const s of set) s.end();
      await unlistenMessages();
      await unlistenEvents();
    },
    size: () => [...streams.values()].reduce((n, s) => n + s.size, 0),
  };
}
