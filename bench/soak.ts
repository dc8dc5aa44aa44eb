import { execFileSync } from 'node:child_process';
import { printTable } from './harness.js';
import { intakeRequest } from './memory.js';
import { loadFromAnotherProcess, startServed } from './served.js';

// npm run bench -- soak [--minutes=10] — a steady mixed load on the production build for a while:
// ticket creations, public replies, queue pages and searches at a fixed rate, with live streams
// held open, from a separate process. Every 10 s it samples the server's RSS and its event-loop
// delay (loopdesk_event_loop_delay_seconds from /metrics, over the last 10 s), then prints the
// table and whether both stayed flat and nothing failed.

const SAMPLE_MS = 10_000;
const METRICS_TOKEN = 'soak-metrics-token-0123456789';

const minutesFlag = process.argv.find((a) => a.startsWith('--minutes='));
const MINUTES = minutesFlag ? Number(minutesFlag.split('=')[1]) : 10;
const RATE = Number(process.env.SOAK_RATE ?? 40);
const STREAMS = Number(process.env.SOAK_STREAMS ?? 20);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function loopDelay(url: string): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const read = (q: string) =>
    Number(new RegExp(`loopdesk_event_loop_delay_seconds\\{quantile="${q}"\\} ([0-9.e+-]+)`).exec(text)?.[1] ?? NaN) *
    1000;
  return { p99: read('p99'), max: read('max') };
}

export async function soak() {
  if (!(MINUTES > 0)) throw new Error('--minutes must be a positive number');
  execFileSync('npm', ['run', 'build:server'], { stdio: 'ignore' });
  const server = await startServed('dist', { LOOPDESK_METRICS_TOKEN: METRICS_TOKEN });
  try {
    const { headers, body } = await intakeRequest(server);
    const first = await fetch(`${server.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
    const ticketId = ((await first.json()) as { id: string }).id;
    const reply = JSON.stringify({
      visibility: 'public',
      body: '您好，工程师已安排今天下午上门检修光猫，请保持电话畅通。',
    });
    const requests = [
      { method: 'POST' as const, path: '/api/v1/tickets', body },
      { method: 'POST' as const, path: `/api/v1/tickets/${ticketId}/messages`, body: reply },
      { method: 'GET' as const, path: '/api/v1/tickets?limit=50' },
      { method: 'GET' as const, path: `/api/v1/tickets?limit=20&q=${encodeURIComponent('宽带 掉线')}` },
    ];
    await loopDelay(server.url); // resets the window
    const samples: { t: number; rss: number; p99: number; max: number }[] = [];
    const started = Date.now();
    const sampler = setInterval(() => {
      void loopDelay(server.url).then((d) =>
        samples.push({ t: Math.round((Date.now() - started) / 1000), rss: server.rss(), ...d }),
      );
    }, SAMPLE_MS);
    const { result, streams } = await loadFromAnotherProcess({
      url: server.url,
      connections: 8,
      duration: MINUTES * 60,
      overallRate: RATE,
      headers,
      requests,
      streams: { count: STREAMS, path: '/api/v1/events', headers: { cookie: headers.cookie } },
    });
    clearInterval(sampler);

    printTable(
      samples.map((s) => ({ s: s.t, 'RSS MiB': s.rss, 'loop delay p99 ms': s.p99, 'loop delay max ms': s.max })),
    );
    // Flat: after the first quarter (warm-up: caches, JIT, pools), the last quarter's medians are
    // within 10 % (RSS, plus 10 MiB) and 2× or 20 ms (event-loop delay p99) of the second quarter's.
    const q = Math.max(1, Math.floor(samples.length / 4));
    const early = samples.slice(q, 2 * q);
    const late = samples.slice(-q);
    const rss = { early: median(early.map((s) => s.rss)), late: median(late.map((s) => s.rss)) };
    const p99 = { early: median(early.map((s) => s.p99)), late: median(late.map((s) => s.p99)) };
    const rssFlat = rss.late <= rss.early * 1.1 + 10;
    const delayFlat = p99.late <= Math.max(p99.early * 2, p99.early + 20);
    const errors = result.errors + result.non2xx + result.timeouts + streams.failed;
    console.log(
      `${MINUTES} min at ${RATE} requests/s (creations, public replies, queue pages, searches in turn; ` +
        `${result.requests.total} requests, p99 ${result.latency.p99} ms) with ${streams.opened}/${STREAMS} live streams open (${streams.events} events)`,
    );
    console.log(`RSS median ${rss.early.toFixed(0)} → ${rss.late.toFixed(0)} MiB: ${rssFlat ? 'flat' : 'GREW'}`);
    console.log(
      `event-loop delay p99 median ${p99.early.toFixed(1)} → ${p99.late.toFixed(1)} ms: ${delayFlat ? 'flat' : 'GREW'}`,
    );
    console.log(
      `errors: ${errors} (${result.non2xx} non-2xx, ${result.errors} failed, ${result.timeouts} timeouts, ${streams.failed} streams lost)`,
    );
    console.log(rssFlat && delayFlat && errors === 0 ? 'SOAK PASSED' : 'SOAK FAILED');
  } finally {
    await server.close();
  }
}
