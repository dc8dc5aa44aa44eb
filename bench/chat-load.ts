// The chat bench's load, alone in its process: `tsx bench/chat-load.ts <ChatLoadSpec JSON file>` holds
// one customer stream open per conversation (or `idle` desk streams), then — with the streams open —
// posts customer messages at a steady rate and times each from the POST until its `message` event
// arrives on the conversation's own stream. Prints one JSON document: opened, failed, latencies (ms).
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import type { ChatLoadSpec, ChatLoadOutcome } from './chat.js';

const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChatLoadSpec;
const stop = new AbortController();
setMaxListeners(0, stop.signal); // one listener per stream
const waiting = new Map<string, (at: number) => void>();
let opened = 0;
let failed = 0;

async function hold(path: string, headers: Record<string, string>, onEvent?: (data: string) => void) {
  try {
    const res = await fetch(`${spec.url}${path}`, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: stop.signal,
    });
    if (res.status !== 200) return void failed++;
    opened++;
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return void (stop.signal.aborted ? undefined : failed++);
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!onEvent || !event.includes('event: message')) continue;
        const data = /^data: (.*)$/m.exec(event)?.[1];
        if (data) onEvent(data);
      }
    }
  } catch {
    if (!stop.signal.aborted) failed++;
  }
}

const streams =
  spec.kind === 'idle'
    ? Array.from({ length: spec.count }, () => hold('/api/v1/events', { cookie: spec.cookie! }))
    : spec.chats!.map((c) =>
        hold(`/api/chat/v1/conversations/${c.id}/stream?after=${c.lastSeq}&token=${c.token}`, {}, (data) => {
          const m = JSON.parse(data) as { clientMessageId: string | null };
          if (m.clientMessageId) waiting.get(m.clientMessageId)?.(performance.now());
        }),
      );
const want = spec.kind === 'idle' ? spec.count : spec.chats!.length;
const deadline = Date.now() + 120_000;
while (opened + failed < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
// Every stream open: the server's memory is read now, by the bench, while this process waits.
process.stdout.write(JSON.stringify({ phase: 'open', opened, failed }) + '\n');
await new Promise((r) => setTimeout(r, spec.holdMs));

const latencies: number[] = [];
const postLatencies: number[] = [];
if (spec.kind === 'chat') {
  const sends: Promise<void>[] = [];
  for (let i = 0; i < spec.messages; i++) {
    const chat = spec.chats![i % spec.chats!.length]!;
    const clientMessageId = `bench-${process.pid}-${i}`;
    sends.push(
      (async () => {
        const start = performance.now();
        const arrived = new Promise<number>((resolve) => waiting.set(clientMessageId, resolve));
        const res = await fetch(`${spec.url}/api/chat/v1/conversations/${chat.id}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-chat-token': chat.token },
          body: JSON.stringify({ clientMessageId, body: spec.text }),
        });
        postLatencies.push(performance.now() - start);
        if (res.status !== 201) return void failed++;
        const at = await Promise.race([arrived, new Promise<number>((r) => setTimeout(() => r(NaN), 30_000))]);
        if (Number.isNaN(at)) failed++;
        else latencies.push(at - start);
      })(),
    );
    await new Promise((r) => setTimeout(r, 1000 / spec.ratePerSecond));
  }
  await Promise.all(sends);
}
stop.abort();
await Promise.allSettled(streams);
const outcome: ChatLoadOutcome = { opened, failed, latencies, postLatencies };
process.stdout.write(JSON.stringify({ phase: 'done', ...outcome }) + '\n');
process.exit(0);
