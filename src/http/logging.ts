import type { FastifyServerOptions } from 'fastify';

// Personal data never reaches the logs: cookies and tokens are redacted; anything that looks like
// a phone or ID number (7+ digits, also written with spaces, dashes, dots or brackets, plain or
// percent-encoded, as customers type them: 138-1000-0000, +86 138 1000 0000) is masked in URLs
// and error messages; sign-in codes and link tokens in URLs are dropped; a database error is
// logged by its code and constraint, never with its parameters or detail (they hold the values).

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SEPARATOR = String.raw`(?:[\s\-.()/+]|%20|%2B|%2D|%2F|%28|%29)*`;
const NUMBER_LIKE = new RegExp(`${UUID}|\\d(?:${SEPARATOR}\\d){6,}`, 'gi');
const IS_UUID = new RegExp(`^${UUID}$`, 'i');
const SECRET_PARAMS = /([?&](?:link|token|code)=)[^&#]*/gi;

export const redactDigits = (s: string): string =>
  s.replace(NUMBER_LIKE, (m) => {
    if (IS_UUID.test(m)) return m; // record ids are not personal data and are needed to follow a request
    const digits = m.replace(/%[0-9a-f]{2}/gi, '').replace(/\D/g, '');
    return `${digits.slice(0, 3)}****${digits.slice(-2)}`;
  });

export const redactUrl = (url: string): string => redactDigits(url.replace(SECRET_PARAMS, '$1[redacted]'));

type LoggedError = {
  type: string;
  message: string;
  stack?: string;
  code?: string;
  constraint?: string;
  table?: string;
  cause?: LoggedError;
};

/**
 * Errors as logged: type, code, message and stack with number-like runs masked. Drizzle puts the
 * statement's parameters into its message (`params: …`) and PostgreSQL its values into `detail`
 * (`Key (msisdn)=(13810000000)`): both are left out.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!err || typeof err !== 'object') return err;
  const e = err as {
    name?: string;
    message?: unknown;
    stack?: unknown;
    code?: unknown;
    constraint?: unknown;
    table?: unknown;
    cause?: unknown;
  };
  const withoutParams = (s: string) =>
    redactDigits(s.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, '\nparams: [redacted]'));
  const out: LoggedError = {
    type: e.constructor?.name ?? e.name ?? 'Error',
    message: typeof e.message === 'string' ? withoutParams(e.message) : '',
  };
  if (typeof e.stack === 'string') out.stack = withoutParams(e.stack);
  if (typeof e.code === 'string') out.code = e.code;
  if (typeof e.constraint === 'string') out.constraint = e.constraint;
  if (typeof e.table === 'string') out.table = e.table;
  if (e.cause && depth < 4) out.cause = serializeError(e.cause, depth + 1) as LoggedError;
  return out;
}

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
      }),
      err: (err: Error) => serializeError(err) as LoggedError & { stack: string },
    },
  };
}
