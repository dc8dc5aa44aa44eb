import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { createScratchDatabase, ENGINES } from '../helpers/engines.js';
import { freePort } from '../helpers/free-port.js';

// `npm start` with LOOPDESK_PROCESSES=2 (src/cluster.ts): two server processes on one port, as on
// a machine where one process would leave cores idle.

const METRICS_TOKEN = 'cluster-test-metrics-token';

type Primary = { child: ChildProcess; output: string; port: number };

async function startPrimary(env: Record<string, string>): Promise<Primary> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOOPDESK_PROCESSES: '2',
      LOOPDESK_DEMO_DATA: 'false',
      LOOPDESK_METRICS_TOKEN: METRICS_TOKEN,
      LOOPDESK_DATA_DIR: join(tmpdir(), `loopdesk-cluster-${uuidv7()}`),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const primary: Primary = { child, output: '', port };
  const read = (d: Buffer) => (primary.output += d.toString());
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  return primary;
}

/** Resolves when `text` has appeared `times` times in the output, or with false when the primary exits first. */
function outputShows(primary: Primary, text: string, times: number): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      if (primary.output.split(text).length - 1 >= times) return resolve(true);
      if (primary.child.exitCode !== null || primary.child.signalCode !== null) return resolve(false);
      setTimeout(check, 100);
    };
    check();
  });
}

/** A GET on a connection of its own (node:cluster spreads connections, not requests). */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });

const workerPids = (primary: Primary) =>
  spawnSync('pgrep', ['-P', String(primary.child.pid), '-f', 'src/main.ts'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);

describe.runIf(ENGINES.includes('postgres'))('several server processes on one machine (LOOPDESK_PROCESSES)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  let primary: Primary | undefined;

  afterEach(async () => {
    if (primary) {
      for (const pid of workerPids(primary)) process.kill(pid, 'SIGKILL');
      primary.child.kill('SIGKILL');
      await exited(primary.child);
    }
    primary = undefined;
    await scratch?.drop();
    scratch = undefined;
  });

  it('serves one port from two processes, sums their metrics, replaces one that dies and stops cleanly', async () => {
    scratch = await createScratchDatabase();
    primary = await startPrimary({ DATABASE_URL: scratch.url });
    expect(await outputShows(primary, 'Loopdesk is listening', 2), primary.output).toBe(true);
    expect(primary.output).toContain('starting 2 server processes');
    expect(workerPids(primary)).toHaveLength(2);

    // Twenty requests on connections of their own, handed to the two processes in turn; /metrics,
    // answered by one of them, counts all twenty.
    for (let i = 0; i < 20; i++) expect((await get(primary.port, '/api/v1/auth/session')).status).toBe(401);
    const metrics = await get(primary.port, '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(
      /loopdesk_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/auth\/session",status="401"\} 20\n/,
    );

    // One process dies: the primary starts another, and the port is served throughout.
    const [victim] = workerPids(primary);
    process.kill(victim!, 'SIGKILL');
    expect((await get(primary.port, '/readyz')).status).toBe(200);
    expect(await outputShows(primary, 'starting another', 1)).toBe(true);
    expect(await outputShows(primary, 'Loopdesk is listening', 3), primary.output).toBe(true);
    const replaced = workerPids(primary);
    expect(replaced).toHaveLength(2);
    expect(replaced).not.toContain(victim);

    primary.child.kill('SIGTERM');
    expect(await exited(primary.child)).toBe(0);
    for (const pid of replaced) expect(() => process.kill(pid, 0)).toThrow();
  }, 240_000);

  it('stops with the failure when a process cannot start', async () => {
    primary = await startPrimary({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/loopdesk_no_such_database' });
    expect(await exited(primary.child)).toBe(1);
    expect(primary.output).toContain('a server process failed to start (exit code 1); stopping');
    expect(primary.output).toMatch(/Loopdesk failed to start: .*loopdesk_no_such_database/s);
  }, 120_000);

  it('refuses more than one process on the embedded database', async () => {
    primary = await startPrimary({ DATABASE_URL: '' });
    expect(await exited(primary.child)).toBe(2);
    expect(primary.output).toContain('LOOPDESK_PROCESSES: more than one process needs DATABASE_URL');
  }, 60_000);
});
