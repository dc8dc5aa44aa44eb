import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openPostgres } from '../src/db/client.js';
import { startChat } from '../src/usecases/chat/customer-chat.js';
import { tokenizeForSearch } from '../src/text/segmenter.js';
import { printTable } from './harness.js';
import { mib, startServed, type Served } from './served.js';

/** What bench/chat-load.ts does: hold `count` idle desk streams, or one stream per chat and post messages. */
export type ChatLoadSpec = {
  url: string;
  kind: 'idle' | 'chat';
  count: number;
  cookie?: string;
  chats?: { id: string; token: string; lastSeq: number }[];
  /** How long the streams stay open before messages are sent (ms). */
  holdMs: number;
  messages: number;
  ratePerSecond: number;
  text: string;
};
export type ChatLoadOutcome = { opened: number; failed: number; latencies: number[]; postLatencies: number[] };

const COUNT = Number(process.env.BENCH_CHAT_CONNECTIONS ?? 2000);
const MESSAGES = Number(process.env.BENCH_CHAT_MESSAGES ?? 400);
const RATE = Number(process.env.BENCH_CHAT_RATE ?? 20);

const quantile = (values: number[], q: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const ms = (n: number) => (Number.isNaN(n) ? '—' : `${n.toFixed(1)} ms`);

/** Runs bench/chat-load.ts in its own process; reads the server's RSS once every stream is open. */
async function load(served: Served, spec: ChatLoadSpec): Promise<ChatLoadOutcome & { rssOpen: number }> {
  // Two thousand tokens do not fit on a command line: the spec goes in a file.
  const file = join(mkdtempSync(join(tmpdir(), 'loopdesk-chat-bench-')), 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  const child = spawn('node_modules/.bin/tsx', ['bench/chat-load.ts', file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let rssOpen = NaN;
  let done: ChatLoadOutcome | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    const msg = JSON.parse(line) as { phase: 'open' | 'done' } & ChatLoadOutcome;
    if (msg.phase === 'open') {
      await new Promise((r) => setTimeout(r, 2000)); // let the server settle with the streams open
      rssOpen = served.rss();
    } else done = msg;
  }
  if (!done) throw new Error('the load process ended without a result');
  return { ...done, rssOpen };
}

/**
 * 2,000 open chat connections on one node: each a customer's stream (`/api/chat/v1/…/stream`), then
 * customer messages at a steady rate, each timed from its POST until it arrives on its own stream
 * (stored, announced by the database, read and pushed by the server). Beside it, in the same run on
 * the same server, the same number of idle desk live-update streams (`/api/v1/events`). The server
 * is the real one in its own process (bench/served.ts); the streams come from another process.
 */
export async function chat() {
  // The production build when there is one (`npm run build`), as `npm start` runs it; else through tsx.
  const mode = existsSync('dist/main.js') ? 'dist' : 'tsx';
  console.log(`server: ${mode === 'dist' ? 'dist/main.js (production build)' : 'src/main.ts through tsx'}`);
  const served = await startServed(mode);
  const database = await openPostgres(served.databaseUrl, 4);
  try {
    await new Promise((r) => setTimeout(r, 3000));
    const idleRss = served.rss();
    const { cookie } = await served.signIn();
    const desk = await load(served, {
      url: served.url,
      kind: 'idle',
      count: COUNT,
      cookie,
      holdMs: 5000,
      messages: 0,
      ratePerSecond: 1,
      text: '',
    });

    // The conversations are opened beforehand, through the use case (the portal's start is rate-limited per address).
    const deps = {
      db: database.db,
      clock: { now: () => new Date() },
      indexText: tokenizeForSearch,
      timeZone: 'Asia/Shanghai',
    };
    const chats: ChatLoadSpec['chats'] = [];
    for (let i = 0; i < COUNT; i++) {
      const started = await startChat(deps, { channel: 'portal', language: 'zh', customerId: null, verified: false });
      chats.push({ id: started.id, token: started.token, lastSeq: started.conversation.lastSeq });
    }
    const live = await load(served, {
      url: served.url,
      kind: 'chat',
      count: COUNT,
      chats,
      holdMs: 5000,
      messages: MESSAGES,
      ratePerSecond: RATE,
      text: '请问宽带怎么报装',
    });
    printTable([
      {
        streams: 'none',
        open: '—',
        failed: '—',
        'server RSS': `${mib(idleRss)} MiB`,
        p50: '—',
        p99: '—',
        'POST p99': '—',
      },
      {
        streams: `${COUNT} idle desk streams (/api/v1/events)`,
        open: desk.opened,
        failed: desk.failed,
        'server RSS': `${mib(desk.rssOpen)} MiB`,
        p50: '—',
        p99: '—',
        'POST p99': '—',
      },
      {
        streams: `${COUNT} chat streams, ${MESSAGES} messages at ${RATE}/s`,
        open: live.opened,
        failed: live.failed,
        'server RSS': `${mib(live.rssOpen)} MiB`,
        p50: ms(quantile(live.latencies, 0.5)),
        p99: ms(quantile(live.latencies, 0.99)),
        'POST p99': ms(quantile(live.postLatencies, 0.99)),
      },
    ]);
    console.log(
      `delivery = POST sent → the message's event on its conversation's stream; ${live.latencies.length} of ${MESSAGES} delivered`,
    );
  } finally {
    await database.close();
    await served.close();
  }
}
