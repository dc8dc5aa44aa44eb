import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../core/errors/app-error.js';

// The one error shape, and the answers Fastify and Node give before any route runs (a request
// line Node cannot parse, a bad percent-escape, a wrong method) put into it.

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** `internal` is the one code outside the AppError list: a 500, whose cause only the log knows. */
export const errorBody = (code: ErrorCode | 'internal', message: string, details?: unknown): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (`clientError`): answered on
 * the socket itself, as Fastify's default handler does, but in our shape. The raw bytes are never
 * logged (they may hold a customer's number or a session cookie).
 */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, payload] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', errorBody('request.timeout', 'The request was not received in time')]
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'Request Header Fields Too Large',
            errorBody('request.headers_too_large', 'The request headers are larger than the server accepts'),
          ]
        : [400, 'Bad Request', errorBody('request.invalid', parseErrorMessage(err.code))];
  this.log.debug({ code: err.code, status }, 'unparseable request');
  if (socket.writable) {
    const text = JSON.stringify(payload);
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}

function parseErrorMessage(code: string | undefined): string {
  switch (code) {
    case 'HPE_INVALID_URL':
      // curl sends what is typed: `-G --data-urlencode 'q=宽带'` encodes it.
      return 'The address contains characters that must be percent-encoded (UTF-8), e.g. q=%E5%AE%BD%E5%B8%A6 for q=宽带';
    case 'HPE_INVALID_METHOD':
      return 'Unknown HTTP method';
    default:
      return 'The request could not be parsed as HTTP/1.1';
  }
}

/** Fastify's router errors (`frameworkErrors`): a malformed percent-escape, an overlong path parameter. */
export function frameworkErrorHandler(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(414).send(errorBody('request.url_too_long', 'A part of the address is longer than allowed'));
    return;
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    void reply
      .status(400)
      .send(errorBody('request.invalid', 'The address contains a malformed percent-escape (e.g. %E5% cut short)'));
    return;
  }
  void reply.status(500).send(errorBody('internal', 'Something went wrong on our side; it has been logged'));
}

export type RouteEntry = { method: string; url: string };

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered so far, HEAD included (tests walk it to prove what needs a session). */
    registeredRoutes(): readonly RouteEntry[];
  }
}

/**
 * Remembers every route's path pattern and methods, so a request for a known path with a method it
 * does not take answers 405 with `Allow` instead of 404. Call before any route is registered.
 */
export function trackRoutes(app: FastifyInstance): (path: string) => string[] {
  const entries: RouteEntry[] = [];
  const patterns: { pattern: RegExp; methods: Set<string> }[] = [];
  const byUrl = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    let methods = byUrl.get(route.url);
    if (!methods) {
      methods = new Set();
      byUrl.set(route.url, methods);
      patterns.push({ pattern: patternOf(route.url), methods });
    }
    for (const method of [route.method].flat()) {
      methods.add(method);
      entries.push({ method, url: route.url });
    }
  });
  app.decorate('registeredRoutes', () => entries);
  return (path) => {
    const allowed = new Set<string>();
    for (const r of patterns) if (r.pattern.test(path)) for (const m of r.methods) allowed.add(m);
    return [...allowed].sort();
  };
}

/** `/api/v1/tickets/:id/messages` → a regular expression matching one value per parameter. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) =>
      segment === '*'
        ? '.*'
        : segment.startsWith(':')
          ? '[^/]+'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}
