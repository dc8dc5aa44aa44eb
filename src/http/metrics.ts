import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.js';
import {
  httpInFlight,
  httpRejectedOverload,
  httpRequestDuration,
  liveStreams,
  registry,
  scrapedGauge,
} from '../metrics/metrics.js';
import { metricsText } from '../metrics/cluster-metrics.js';
import { errorBody } from './error-shape.js';

// Two things every request passes through before any other hook (authentication included):
// - overload: past `maxInFlight` requests being handled, a new one is answered 503 with
//   Retry-After at once, instead of queueing behind the others (latency would grow for everyone);
// - metrics: its latency by route template, when it is answered.
// Health, readiness and /metrics are never refused nor counted (an orchestrator or Prometheus must
// see an overloaded node as alive). Live streams (a request that accepts only
// `text/event-stream`, as EventSource sends) are neither counted in flight nor refused: they hold
// a connection for hours but no work, and a browser's EventSource gives up for good on a 503.

const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);
export const OVERLOAD_RETRY_SECONDS = 1;

const isLiveStream = (request: FastifyRequest) =>
  request.method === 'GET' && request.headers.accept === 'text/event-stream';

const digest = (text: string) => createHash('sha256').update(text).digest();

type Tracked = { load: { inFlight: number }; kind: 'work' | 'stream' };
const tracked = new WeakMap<FastifyRequest, Tracked>();

function release(request: FastifyRequest): void {
  const t = tracked.get(request);
  if (!t) return;
  tracked.delete(request);
  if (t.kind === 'stream') liveStreams.dec();
  else httpInFlight.set(--t.load.inFlight);
}

/**
 * A route that turned its request into a live stream (server-sent events) says so: from here it
 * no longer counts as in flight but as a live stream. Requests sent with
 * `Accept: text/event-stream` are counted as streams from the start.
 */
export function countAsLiveStream(request: FastifyRequest): void {
  const t = tracked.get(request);
  if (!t || t.kind === 'stream') return;
  httpInFlight.set(--t.load.inFlight);
  t.kind = 'stream';
  liveStreams.inc();
}

export function registerMetricsAndOverload(
  app: FastifyInstance,
  opts: { database: Database; maxInFlight: number; metricsToken: string | undefined },
): void {
  const load = { inFlight: 0 };

  app.addHook('onRequest', (request, reply, next) => {
    const route = request.routeOptions.url;
    if (route !== undefined && EXEMPT.has(route)) return next();
    if (isLiveStream(request)) {
      tracked.set(request, { load, kind: 'stream' });
      liveStreams.inc();
      reply.raw.once('close', () => release(request));
      return next();
    }
    if (opts.maxInFlight > 0 && load.inFlight >= opts.maxInFlight) {
      httpRejectedOverload.inc();
      void reply
        .code(503)
        .header('retry-after', String(OVERLOAD_RETRY_SECONDS))
        .send(
          errorBody('service.overloaded', 'The server is handling as many requests as it can; please retry shortly', {
            retryAfterSeconds: OVERLOAD_RETRY_SECONDS,
          }),
        );
      return;
    }
    httpInFlight.set(++load.inFlight);
    tracked.set(request, { load, kind: 'work' });
    reply.raw.once('close', () => release(request));
    next();
  });

  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, next) => {
    if (
      tracked.get(request)?.kind !== 'stream' &&
      (request.routeOptions.url === undefined || !EXEMPT.has(request.routeOptions.url))
    ) {
      httpRequestDuration.observe(
        // The template (`/api/v1/tickets/:id`), never the URL: one series per route, not per ticket.
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode },
        reply.elapsedTime / 1000,
      );
    }
    next();
  });

  // Read when scraped: the database pool, the SLA sweep's lag and the outbox backlog.
  scrapedGauge({
    name: 'loopdesk_db_pool_connections',
    help: 'Database pool connections on this node, by state (total, idle, waiting = requests queued for one)',
    labelNames: ['state'],
    read: () => opts.database.poolStats?.(),
  });
  scrapedGauge({
    name: 'loopdesk_sla_sweep_lag_seconds',
    help: 'How long the most overdue SLA target has waited for the sweep (0: nothing is due); the same on every node',
    aggregator: 'max',
    read: async () => {
      const [row] = await queryRows<{ lag: number | string | null }>(
        opts.database.db,
        sql`SELECT greatest(0, extract(epoch FROM now() - min(next_fire_at)))::float8 AS lag FROM sla_targets WHERE next_fire_at IS NOT NULL`,
      );
      return Number(row?.lag ?? 0);
    },
  });
  scrapedGauge({
    name: 'loopdesk_outbox_pending',
    help: 'Outbound messages waiting to be delivered (the outbox backlog); the same on every node',
    aggregator: 'max',
    read: async () => {
      const [row] = await queryRows<{ n: number | string }>(
        opts.database.db,
        sql`SELECT count(*)::int AS n FROM outbox WHERE state = 'pending'`,
      );
      return Number(row?.n ?? 0);
    },
  });

  // Who may read /metrics: whoever holds LOOPDESK_METRICS_TOKEN (Prometheus' `authorization`
  // setting). Unset, there is no /metrics at all. Not served anonymously because route names,
  // volumes and backlogs describe the business, and a token rather than a second port because it
  // works the same behind any proxy, container or firewall without a second listener to secure.
  const token = opts.metricsToken;
  if (token === undefined) return;
  const expected = digest(`Bearer ${token}`);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const given = request.headers.authorization;
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send(errorBody('auth.required', 'Reading metrics needs the metrics token (Authorization: Bearer …)'));
    }
    const text = await metricsText();
    return reply.header('content-type', registry.contentType).send(text);
  });
}
