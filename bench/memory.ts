import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { printTable } from './harness.js';
import { loadFromAnotherProcess, startServed, type Served, type ServerMode } from './served.js';

const LOAD_SECONDS = Number(process.env.BENCH_MEMORY_LOAD_SECONDS ?? 30);
const IDLE_SECONDS = Number(process.env.BENCH_MEMORY_IDLE_SECONDS ?? 15);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A signed-in agent, a demo customer, and the POST /api/v1/tickets request the intake load repeats. */
export async function intakeRequest(server: Served) {
  const { cookie, csrfToken } = await server.signIn('agent');
  const found = await fetch(`${server.url}/api/v1/customers?limit=1`, { headers: { cookie } });
  const customerId = ((await found.json()) as { items: { id: string }[] }).items[0]!.id;
  return {
    headers: { cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({
      type: 'fault',
      channel: 'hotline',
      subject: '宽带频繁掉线',
      description: '家里宽带每天掉线十几次，光猫指示灯闪红，重启后仍然掉线，要求尽快上门维修。',
      customerId,
    }),
    customerId,
  };
}

/** Peak resident memory of the process (VmHWM), in MiB. */
const peakMiB = (pid: number) =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/**
 * Resident memory (RSS, MiB) of the server as `npm start` runs it, on PostgreSQL with demo data:
 * idle after start-up, then after LOAD_SECONDS of POST /api/v1/tickets at 32 connections from a
 * separate process. `tsx` is the old way (TypeScript compiled at run time, two processes);
 * `dist` the production build (`npm run build:server` first). BENCH_MEMORY_MODES=dist for one.
 */
export async function memory() {
  const modes = (process.env.BENCH_MEMORY_MODES ?? 'tsx,dist').split(',') as ServerMode[];
  if (modes.includes('dist')) execFileSync('npm', ['run', 'build:server'], { stdio: 'ignore' });
  const rows = [];
  for (const mode of modes) {
    // First start: migrations and demo data (what the quick start does once); then a restart on
    // that database, as every later start of a node is: its idle RSS is the figure that lasts.
    const first = await startServed(mode);
    await sleep(IDLE_SECONDS * 1000);
    const firstIdle = first.rss();
    await first.close({ keepDatabase: true });
    const server = await startServed(mode, {}, { url: first.databaseUrl, drop: () => first.dropDatabase() });
    try {
      await sleep(IDLE_SECONDS * 1000);
      const idle = server.rss();
      const { headers, body } = await intakeRequest(server);
      let peak = idle;
      const sampler = setInterval(() => (peak = Math.max(peak, server.rss())), 500);
      const { result } = await loadFromAnotherProcess({
        url: `${server.url}/api/v1/tickets`,
        connections: 32,
        duration: LOAD_SECONDS,
        method: 'POST',
        headers,
        body,
      });
      clearInterval(sampler);
      const after = server.rss();
      await sleep(IDLE_SECONDS * 1000);
      rows.push({
        mode,
        'idle after first start (seeding) MiB': firstIdle,
        'idle RSS MiB': idle,
        'peak under load MiB': Math.max(peak, mode === 'dist' ? peakMiB(server.pid) : 0),
        'after load MiB': after,
        [`${IDLE_SECONDS} s later MiB`]: server.rss(),
        'load − idle MiB': after - idle,
        'tickets/s': result.requests.average,
        errors: result.errors + result.non2xx,
      });
    } finally {
      await server.close();
    }
  }
  console.log(`PostgreSQL, demo data, intake load ${LOAD_SECONDS} s at 32 connections from another process`);
  printTable(rows);
}
