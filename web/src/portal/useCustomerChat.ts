import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { customerChatApi, type ChatCustomerView, type ChatMessage } from '../api/chat';

// The customer's side of a live chat. The conversation (id and token) and the messages not yet
// acknowledged are kept in this browser, so a reload or a dropped connection resumes it: the
// stream is opened again from the last stored seq (nothing lost), messages are kept by seq
// (nothing repeated), and an unacknowledged message is sent again with the same client id (the
// server stores it once).

const STORE = 'loopdesk.chat';
const RETRY_MS = [500, 1000, 2000, 4000, 8000];
const AGENT_TYPING_MS = 6000;
const OWN_TYPING_EVERY_MS = 3000;
const QUEUE_LOOK_MS = 20_000;

type Stored = { id: string; token: string; outgoing: Outgoing[] };
export type Outgoing = { clientMessageId: string; body: string; status: 'pending' | 'failed' };

function load(): Stored | null {
  try {
    const s = JSON.parse(localStorage.getItem(STORE) ?? 'null') as Stored | null;
    return s && typeof s.id === 'string' && typeof s.token === 'string' ? { ...s, outgoing: s.outgoing ?? [] } : null;
  } catch {
    return null;
  }
}
function save(s: Stored | null) {
  if (s) localStorage.setItem(STORE, JSON.stringify(s));
  else localStorage.removeItem(STORE);
}

/** Whether this browser has a conversation to resume (the portal opens the chat at once then). */
export const hasStoredChat = () => load() !== null;

export function useCustomerChat() {
  const [conv, setConv] = useState<{ id: string; token: string } | null>(() => load());
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [outgoing, setOutgoing] = useState<Outgoing[]>(() => load()?.outgoing ?? []);
  const [status, setStatus] = useState<ChatCustomerView | null>(null);
  const [agentTyping, setAgentTyping] = useState(false);
  const [connected, setConnected] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const lastSeq = useRef(0);
  const lastTyping = useRef(0);

  // While waiting for a person, the offer to leave a message comes with time (no event): look again now and then.
  const queued = status?.state === 'queued' && !status.canLeaveMessage;
  useEffect(() => {
    if (!conv || !queued) return;
    const timer = setInterval(() => {
      customerChatApi
        .get(conv.id, conv.token)
        .then(setStatus)
        .catch(() => undefined);
    }, QUEUE_LOOK_MS);
    return () => clearInterval(timer);
  }, [conv, queued]);

  // Keep what is not yet acknowledged with the conversation, for a reload.
  useEffect(() => {
    if (conv) save({ ...conv, outgoing: outgoing.map((o) => ({ ...o, status: 'pending' as const })) });
  }, [conv, outgoing]);

  const add = useCallback((m: ChatMessage) => {
    lastSeq.current = Math.max(lastSeq.current, m.seq);
    setMessages((list) => (list.some((x) => x.seq === m.seq) ? list : [...list, m].sort((a, b) => a.seq - b.seq)));
    if (m.clientMessageId) setOutgoing((o) => o.filter((x) => x.clientMessageId !== m.clientMessageId));
    if (m.author === 'agent') setAgentTyping(false);
  }, []);

  // The stream: opened from the last seq held, again after every break (with a growing pause).
  useEffect(() => {
    if (!conv) return;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let closed = false;
    const connect = () => {
      if (closed) return;
      source = new EventSource(customerChatApi.streamUrl(conv.id, conv.token, lastSeq.current));
      source.addEventListener('open', () => {
        failures = 0;
        setConnected(true);
      });
      source.addEventListener('message', (e) => add(JSON.parse((e as MessageEvent<string>).data) as ChatMessage));
      source.addEventListener('conversation', (e) =>
        setStatus(JSON.parse((e as MessageEvent<string>).data) as ChatCustomerView),
      );
      source.addEventListener('typing', (e) => {
        const { typing } = JSON.parse((e as MessageEvent<string>).data) as { typing: boolean };
        setAgentTyping(typing);
        clearTimeout(typingTimer);
        if (typing) typingTimer = setTimeout(() => setAgentTyping(false), AGENT_TYPING_MS);
      });
      // The server may have missed changes: open the stream again from the last seq held.
      source.addEventListener('resync', () => {
        source?.close();
        connect();
      });
      source.addEventListener('error', () => {
        source?.close();
        setConnected(false);
        timer = setTimeout(connect, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
      });
    };
    // The conversation's state first (it may have ended, or be gone).
    customerChatApi
      .get(conv.id, conv.token)
      .then((s) => {
        setStatus(s);
        connect();
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && (e.status === 404 || e.status === 401 || e.status === 403)) {
          save(null);
          setConv(null);
        } else {
          setError(e);
          connect();
        }
      });
    const online = () => {
      if (source?.readyState === EventSource.CLOSED) {
        clearTimeout(timer);
        connect();
      }
    };
    window.addEventListener('online', online);
    return () => {
      closed = true;
      clearTimeout(timer);
      clearTimeout(typingTimer);
      source?.close();
      window.removeEventListener('online', online);
    };
  }, [conv, add]);

  const deliver = useCallback(
    (o: Outgoing) => {
      if (!conv) return;
      setOutgoing((list) =>
        list.map((x) => (x.clientMessageId === o.clientMessageId ? { ...x, status: 'pending' } : x)),
      );
      customerChatApi
        .send(conv.id, conv.token, o.clientMessageId, o.body)
        .then((r) => {
          for (const m of [r.message, ...r.replies]) add(m);
          setStatus(r.conversation);
        })
        .catch((e: unknown) => {
          setOutgoing((list) =>
            list.map((x) => (x.clientMessageId === o.clientMessageId ? { ...x, status: 'failed' } : x)),
          );
          if (e instanceof ApiError && e.status > 0) setError(e);
        });
    },
    [conv, add],
  );

  // What was waiting for an acknowledgement when the page went away is sent again (same client id).
  const resent = useRef(false);
  useEffect(() => {
    if (!conv || resent.current) return;
    resent.current = true;
    for (const o of load()?.outgoing ?? []) deliver(o);
  }, [conv, deliver]);

  return {
    conv,
    messages,
    outgoing,
    status,
    agentTyping,
    connected,
    error,
    start: async (language: 'zh' | 'en') => {
      setError(null);
      try {
        const c = await customerChatApi.start(language);
        lastSeq.current = 0;
        setMessages([]);
        setOutgoing([]);
        for (const m of c.messages) add(m);
        setStatus(c.conversation);
        setConv({ id: c.conversation.id, token: c.token });
      } catch (e) {
        setError(e);
      }
    },
    send: (body: string) => {
      const o: Outgoing = { clientMessageId: crypto.randomUUID(), body, status: 'pending' };
      setOutgoing((list) => [...list, o]);
      deliver(o);
    },
    retry: deliver,
    typing: () => {
      if (!conv || Date.now() - lastTyping.current < OWN_TYPING_EVERY_MS) return;
      lastTyping.current = Date.now();
      customerChatApi.typing(conv.id, conv.token).catch(() => undefined);
    },
    /** An action on the conversation; a returned conversation view becomes the state shown. */
    call: async (action: (id: string, token: string) => Promise<unknown>) => {
      if (!conv) return;
      setError(null);
      try {
        const r = await action(conv.id, conv.token);
        if (r && typeof r === 'object' && 'state' in r && 'queuePosition' in r) setStatus(r as ChatCustomerView);
      } catch (e) {
        setError(e);
      }
    },
    /** Forget this conversation (after it ended): the next visit starts a new one. */
    forget: () => {
      save(null);
      setConv(null);
      setMessages([]);
      setOutgoing([]);
      setStatus(null);
      lastSeq.current = 0;
    },
  };
}
export type CustomerChat = ReturnType<typeof useCustomerChat>;
