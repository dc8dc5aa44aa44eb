import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { createScratchDatabase, ENGINES } from '../helpers/engines.js';

// Two servers (src/main.ts, as `npm start` runs it) started at the same moment on one empty
// PostgreSQL database, as when a deployment brings up all its nodes at once.

type Node = { child: ChildProcess; output: string; started: Promise<'listening' | 'exited'> };

function startNode(url: string, env: Record<string, string>): Node {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOOPDESK_DATA_DIR: join(tmpdir(), `loopdesk-first-start-${uuidv7()}`),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const node = { child, output: '' } as Node;
  node.started = new Promise((resolve) => {
    const read = (d: Buffer) => {
      node.output += d.toString();
      if (node.output.includes('Loopdesk is listening')) resolve('listening');
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => resolve('exited'));
  });
  return node;
}

describe.runIf(ENGINES.includes('postgres'))('two nodes starting at once on an empty PostgreSQL database', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  let nodes: Node[] = [];

  afterEach(async () => {
    await Promise.all(
      nodes.map(
        (n) =>
          new Promise<void>((resolve) => {
            if (n.child.exitCode !== null || n.child.signalCode !== null) return resolve();
            n.child.once('exit', () => resolve());
            n.child.kill('SIGKILL');
          }),
      ),
    );
    nodes = [];
    await scratch?.drop();
  });

  async function count(table: string): Promise<number> {
    const client = new pg.Client({ connectionString: scratch!.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      return rows[0]!.n;
    } finally {
      await client.end();
    }
  }

  it('both start without demo data, one creates the administrator, and no password hash is printed', async () => {
    scratch = await createScratchDatabase();
    nodes = [1, 2].map(() => startNode(scratch!.url, { LOOPDESK_DEMO_DATA: 'false' }));
    const outcomes = await Promise.all(nodes.map((n) => n.started));
    const output = nodes.map((n) => n.output).join('\n');
    expect(output).not.toMatch(/\$argon2/);
    expect(outcomes).toEqual(['listening', 'listening']);
    expect(nodes.filter((n) => n.output.includes('created account "admin"'))).toHaveLength(1);
    expect(await count('staff')).toBe(1);
    expect(await count('teams')).toBe(3); // the default intake queue (frontline), the callback queue and the regulator queue
  }, 240_000);

  it('both start with demo data, which is loaded once, and no password hash is printed', async () => {
    scratch = await createScratchDatabase();
    nodes = [1, 2].map(() => startNode(scratch!.url, { LOOPDESK_DEMO_DATA: 'true' }));
    const outcomes = await Promise.all(nodes.map((n) => n.started));
    const output = nodes.map((n) => n.output).join('\n');
    expect(output).not.toMatch(/\$argon2/);
    expect(outcomes).toEqual(['listening', 'listening']);
    expect(nodes.filter((n) => n.output.includes('Demo accounts'))).toHaveLength(1);
    expect(await count('staff')).toBe(10);
    expect(await count('teams')).toBe(8); // the demo's six, the callback queue and the regulator queue
    // Published public articles, so the bot and the portal's FAQ have answers from the first start.
    expect(await count("kb_articles WHERE status = 'published' AND audience = 'public'")).toBe(4);
  }, 240_000);
});
