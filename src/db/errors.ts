// What a database error means for the caller, whichever driver raised it. Drizzle wraps driver
// errors (`cause`), so the chain is walked.

type Coded = { code?: unknown; message?: unknown; cause?: unknown };

function* chain(err: unknown): Generator<Coded> {
  let e = err as Coded | undefined;
  for (let i = 0; e && typeof e === 'object' && i < 5; i++) {
    yield e;
    e = e.cause as Coded | undefined;
  }
}

/** The SQLSTATE (or Node error code) of the first error in the chain that has one. */
export function errorCode(err: unknown): string | undefined {
  for (const e of chain(err)) if (typeof e.code === 'string') return e.code;
  return undefined;
}

/** A serialization failure or deadlock: the transaction was rolled back and may simply be run again. */
export const isRetryableConflict = (err: unknown): boolean => {
  const code = errorCode(err);
  return code === '40001' || code === '40P01';
};

/** Text PostgreSQL cannot store: NUL in text or JSON, a lone surrogate in JSON. */
export const isUnstorableText = (err: unknown): boolean => {
  for (const e of chain(err)) {
    if (e.code === '22021' || e.code === '22P05') return true;
    if (e.code === '22P02' && typeof e.message === 'string' && /json|surrogate|unicode/i.test(e.message)) return true;
  }
  return false;
};

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown (the server is stopping, or pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, in recovery)
  '53300', // too_many_connections
]);
const CONNECTION_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection error|Cannot use a pool after calling end|PGlite is closed|not queryable/i;

/** The database cannot be reached right now (down, restarting, failing over, out of connections). */
export const isDatabaseUnavailable = (err: unknown): boolean => {
  for (const e of chain(err)) {
    if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || /^08/.test(e.code))) return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  }
  return false;
};
