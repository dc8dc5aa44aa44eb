import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { isRetryableConflict } from './errors.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** The one database type the rest of the code sees, whichever engine is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type Database = {
  db: Db;
  engine: 'pglite' | 'postgres';
  /**
   * LISTEN on a channel; resolves to an unsubscribe function. A lost connection is re-established
   * with backoff; notifications sent meanwhile are gone, so `onReconnect` is called to resync.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onReconnect?: () => void,
    /** The connection was lost: nothing is heard until `onReconnect`. */
    onLost?: () => void,
  ): Promise<() => Promise<void>>;
  /**
   * Runs `work` while no other node runs migrations or its own `exclusively` (the migration lock),
   * e.g. the first start's seeding: nodes starting at once on an empty database take turns.
   */
  exclusively<T>(work: () => Promise<T>): Promise<T>;
  /** Pool connections by state (PostgreSQL only: the embedded engine has one connection). */
  poolStats?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
};

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// Any constant works; it only has to be the same for every node running migrations.
const MIGRATION_LOCK_ID = 7_404_202_611;

export class DataDirLockedError extends Error {
  constructor(dataDir: string) {
    super(
      `The embedded database in ${dataDir} is already used by another Loopdesk process. ` +
        'The embedded engine allows one process per data folder (two writers would lose data): ' +
        'stop the other process, choose another LOOPDESK_DATA_DIR, or set DATABASE_URL to use PostgreSQL.',
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * Opens the embedded engine. `dataDir` undefined = in memory (tests). PGlite has no lock between
 * processes, so a lock file on the folder refuses a second process; a crashed holder's lock goes
 * stale after 10 s.
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  let release: (() => Promise<void>) | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    try {
      release = await lockfile.lock(dataDir, {
        stale: 10_000,
        update: 2_000,
        lockfilePath: `${dataDir}/loopdesk.lock`,
        onCompromised: (err) => {
          // Someone took our lock (clock jump or a second process forcing it): stop writing.
          console.error(`Lost the lock on ${dataDir}: ${err.message}`);
          process.exit(1);
        },
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
      throw err;
    }
  }
  // The embedded engine loads only when used: a node on PostgreSQL never holds its modules (memory).
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
  return {
    db,
    engine: 'pglite',
    listen: (channel, onPayload) => client.listen(channel, onPayload),
    // One process per data folder (the lock file above): there is nobody to take turns with.
    exclusively: (work) => work(),
    async close() {
      await client.close();
      await release?.();
    },
  };
}

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  // A request waits at most 5 s for a connection; then it fails (503 with Retry-After) instead of hanging.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000, pipeline: true });
  pool.on('error', (err) => console.error('PostgreSQL pool error:', err.message));
  pool.on('connect', (client) => {
    beginWithFirstStatement(client);
    commitWithLastStatement(client);
  });
  const exclusively = async <T>(work: (conn: pg.PoolClient) => Promise<T>): Promise<T> => {
    const conn = await pool.connect();
    try {
      await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      return await work(conn);
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
      conn.release();
    }
  };
  // Several nodes may start at once: only one applies migrations, the others wait.
  await exclusively((conn) => migratePg(drizzlePg(conn, { schema }), { migrationsFolder }));
  const listener = new ReconnectingListener(url);
  return {
    db: retryingConflicts(drizzlePg(pool, { schema })),
    engine: 'postgres',
    exclusively: (work) => exclusively(() => work()),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    listen: async (channel, onPayload, onReconnect, onLost) => {
      const subscriber = { channel, onPayload, onReconnect, onLost };
      await listener.add(subscriber);
      return () => listener.remove(subscriber);
    },
    async close() {
      await listener.stop();
      await pool.end();
    },
  };
}

/**
 * A transaction that PostgreSQL rolled back as a serialization failure or deadlock (40001/40P01)
 * is run once more: it changed nothing, and the second run usually wins. Callbacks therefore
 * must only touch the database (messages leave through the outbox, after commit). A second
 * failure reaches the error mapper, which answers 409.
 */
function retryingConflicts(db: Db): Db {
  const transaction = db.transaction.bind(db);
  db.transaction = (async (...args: Parameters<Db['transaction']>) => {
    try {
      return await transaction(...args);
    } catch (err) {
      if (!isRetryableConflict(err)) throw err;
      return transaction(...args);
    }
  }) as Db['transaction'];
  return db;
}

/**
 * A transaction's BEGIN goes out with its first statement instead of a round trip of its own: the
 * pool's connections are in pg's pipeline mode (a query is written without waiting for the answer
 * to the one before), and a bare `begin` (what drizzle sends to open a transaction) is answered at
 * once and written with the next query on the connection, in one write to its socket; PostgreSQL
 * then runs that query inside the transaction. A failed BEGIN fails that query's promise too (BEGIN
 * takes no lock and reads nothing: it fails only with its connection, and then so does the
 * statement behind it). Queries issued together on one transaction (`Promise.all`) are pipelined
 * as well, answered in order.
 */
export function beginWithFirstStatement(client: pg.ClientBase) {
  const send = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  let beginPending = false;
  client.query = ((...args: unknown[]) => {
    const [config] = args;
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | undefined)?.text;
    if (text === 'begin' && typeof args.at(-1) !== 'function') {
      beginPending = true;
      return Promise.resolve({ command: 'BEGIN', rowCount: null, rows: [], fields: [] });
    }
    if (!beginPending) return send(...args);
    beginPending = false;
    // Both in one write to the socket (pg writes each query as it is queued, in pipeline mode).
    const socket = (client as unknown as { connection: { stream: Writable } }).connection.stream;
    socket.cork();
    let begun: Promise<unknown>, answer: Promise<unknown>;
    try {
      begun = send('begin');
      answer = send(...args);
    } finally {
      socket.uncork();
    }
    return begun.then(
      () => answer,
      (err: unknown) => {
        answer.catch(() => undefined);
        throw err;
      },
    );
  }) as typeof client.query;
}

const commitWithNext = Symbol('commit with the next statement');
type Committing = { [commitWithNext]?: () => void };

/**
 * Declares the transaction's next statement its last: on PostgreSQL its COMMIT is written with it
 * (see commitWithLastStatement), saving the round trip of COMMIT alone. The code after that
 * statement may only compute its answer: a further statement fails, and the transaction stays
 * committed even if that code throws. On the embedded engine, and in a nested transaction (a
 * savepoint), nothing changes.
 */
export function commitWithNextStatement(tx: Tx): void {
  if ((tx as unknown as { nestedIndex: number }).nestedIndex !== 0) return;
  const client = (tx as unknown as { session: { client: Committing } }).session.client;
  client[commitWithNext]?.();
}

/**
 * A transaction's COMMIT goes out with the statement its code declared the last
 * (commitWithNextStatement), in one write to the socket, instead of a round trip after it: the
 * pool's connections are in pipeline mode, and PostgreSQL runs the two in order. When that statement
 * fails, the transaction is aborted and the COMMIT ends it as a rollback. drizzle's own COMMIT or
 * ROLLBACK, which ends the transaction afterwards, is answered with that COMMIT's outcome (a failed
 * COMMIT fails drizzle's); any other statement in between is refused, since it would run outside
 * the transaction.
 */
export function commitWithLastStatement(client: pg.ClientBase) {
  const send = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  let armed = false;
  let committed: Promise<unknown> | null = null;
  (client as Committing)[commitWithNext] = () => {
    armed = true;
  };
  client.query = ((...args: unknown[]) => {
    const [config] = args;
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | undefined)?.text;
    const ending = text === 'commit' || text === 'rollback';
    if (committed) {
      const outcome = committed;
      committed = null;
      if (ending) return outcome;
      return Promise.reject(new Error(`A statement after the one declared the transaction's last: ${String(text)}`));
    }
    if (!armed || ending || typeof args.at(-1) === 'function') {
      if (ending) armed = false;
      return send(...args);
    }
    armed = false;
    const socket = (client as unknown as { connection: { stream: Writable } }).connection.stream;
    socket.cork();
    try {
      const answer = send(...args);
      committed = send('commit');
      // Read when drizzle ends the transaction; until then its failure is not an unhandled one.
      committed.catch(() => undefined);
      return answer;
    } finally {
      socket.uncork();
    }
  }) as typeof client.query;
}

const LISTEN_RETRY_MS = { first: 500, max: 30_000 };

type Subscriber = {
  channel: string;
  onPayload: (payload: string) => void;
  onReconnect: (() => void) | undefined;
  onLost: (() => void) | undefined;
};

/**
 * LISTEN needs a connection of its own for as long as it listens (not a pooled one): one per node,
 * for every channel the node listens on. PostgreSQL wakes every connection that listens in the
 * database at each commit that notifies, whatever its channels, so a connection per channel would
 * multiply that work on every ticket change. When the connection dies (database restart, failover,
 * an idle-connection killer) it is opened again with backoff and listens on every channel again.
 */
class ReconnectingListener {
  private client: pg.Client | null = null;
  /** The first connection, while it is being opened: failing it fails that `listen` loudly. */
  private opening: Promise<void> | null = null;
  private readonly subscribers = new Set<Subscriber>();
  private stopped = false;
  private retryMs = LISTEN_RETRY_MS.first;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly url: string) {}

  async add(subscriber: Subscriber): Promise<void> {
    this.subscribers.add(subscriber);
    try {
      if (!this.client && !this.retryTimer) {
        this.opening ??= this.connect().then(
          (client) => {
            this.client = client;
            this.opening = null;
          },
          (err: unknown) => {
            this.opening = null;
            throw err;
          },
        );
        await this.opening;
      }
      // Already open: LISTEN on this channel too (a second LISTEN on a channel changes nothing).
      await this.client?.query(`LISTEN ${pg.escapeIdentifier(subscriber.channel)}`);
    } catch (err) {
      this.subscribers.delete(subscriber);
      throw err;
    }
  }

  async remove(subscriber: Subscriber): Promise<void> {
    this.subscribers.delete(subscriber);
    if ([...this.subscribers].some((s) => s.channel === subscriber.channel)) return;
    await this.client?.query(`UNLISTEN ${pg.escapeIdentifier(subscriber.channel)}`).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.opening?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end();
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (n) => {
      if (n.payload === undefined) return;
      for (const s of this.subscribers) if (s.channel === n.channel) s.onPayload(n.payload);
    });
    client.on('error', (err) => {
      console.error(`LISTEN connection error: ${err.message}`);
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await this.listenAll(client);
      return client;
    } catch (err) {
      client.end().catch(() => undefined);
      throw err;
    }
  }

  /** LISTEN on every subscriber's channel, in one query. */
  private async listenAll(client: pg.Client): Promise<void> {
    const channels = new Set([...this.subscribers].map((s) => s.channel));
    if (channels.size > 0) await client.query([...channels].map((c) => `LISTEN ${pg.escapeIdentifier(c)}`).join('; '));
  }

  private lost(client: pg.Client): void {
    if (this.client !== client || this.stopped) return; // a failed attempt, or already handled
    this.client = null;
    client.end().catch(() => undefined);
    for (const s of this.subscribers) s.onLost?.();
    this.retry();
  }

  private retry(): void {
    this.retryTimer = setTimeout(() => {
      this.connect().then(
        (client) => {
          this.retryTimer = undefined;
          if (this.stopped) return void client.end().catch(() => undefined);
          this.client = client;
          this.retryMs = LISTEN_RETRY_MS.first;
          // A channel subscribed to while this connection was being opened may have missed its LISTEN.
          this.listenAll(client).catch(() => undefined);
          console.error('LISTEN connection re-established');
          for (const s of this.subscribers) s.onReconnect?.();
        },
        (err: Error) => {
          if (this.stopped) return;
          this.retryMs = Math.min(this.retryMs * 2, LISTEN_RETRY_MS.max);
          console.error(`LISTEN reconnect failed (next try in ${this.retryMs} ms): ${err.message}`);
          this.retry();
        },
      );
    }, this.retryMs);
    this.retryTimer.unref();
  }
}

export function openDatabase(config: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}

/** Raw SQL rows on either driver (both return `{ rows }`). Numbers from int8 arrive as strings on node-postgres. */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute<T>(query);
  return (result as { rows: T[] }).rows;
}
