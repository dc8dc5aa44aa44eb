import type { Session } from './harness.js';

/** Opens the event stream as `session` and collects events of the given kind (default `ticket`). */
export async function openStream(baseUrl: string, session: Session, kind = 'ticket') {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/events`, {
    headers: { cookie: session.cookie },
    signal: controller.signal,
  });
  if (!res.headers.get('content-type')?.includes('text/event-stream'))
    throw new Error(`not an event stream: ${res.status}`);
  const events: Record<string, unknown>[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          ended = true;
          return;
        }
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (block.includes(`event: ${kind}\n`) && data)
            events.push(JSON.parse(data.slice(6)) as Record<string, unknown>);
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return {
    events,
    async waitFor(predicate: (e: Record<string, unknown>) => boolean, ms = 5000) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        if (events.some(predicate)) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`);
    },
    /** Resolves when the server ends the stream. */
    async waitForEnd(ms = 5000) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        if (ended) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`the stream is still open after ${ms} ms`);
    },
    get ended() {
      return ended;
    },
    close: () => controller.abort(),
  };
}
