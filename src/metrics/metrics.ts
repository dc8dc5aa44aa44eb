import { monitorEventLoopDelay } from 'node:perf_hooks';
import client from 'prom-client';

// The process's Prometheus metrics, one registry per process (src/http/metrics.ts serves it at
// /metrics; with several processes on a machine, summed over them: src/metrics/cluster-metrics.ts). Recording is a counter increment or a histogram observation: a few hundred
// nanoseconds, nothing on the hot path waits for it. Names follow Prometheus conventions
// (`_total` counters, `_seconds` durations); docs/grafana-loopdesk.json charts them.

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'loopdesk_' });

/** Latency buckets for API requests (seconds): 5 ms … 10 s. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Every answered request, by route template (`/api/v1/tickets/:id`, never the URL), method and status. */
export const httpRequestDuration = new client.Histogram({
  name: 'loopdesk_http_request_duration_seconds',
  help: 'HTTP request latency by route template, method and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const httpInFlight = new client.Gauge({
  name: 'loopdesk_http_requests_in_flight',
  help: 'Requests being handled now (live streams not counted)',
  registers: [registry],
});

export const httpRejectedOverload = new client.Counter({
  name: 'loopdesk_http_overload_rejections_total',
  help: 'Requests answered 503 because too many were in flight (LOOPDESK_MAX_IN_FLIGHT)',
  registers: [registry],
});

export const liveStreams = new client.Gauge({
  name: 'loopdesk_live_streams',
  help: 'Open live streams (server-sent events) on this node',
  registers: [registry],
});

/** Tickets created, by intake channel (counted when the ticket row is written). */
export const ticketsCreated = new client.Counter({
  name: 'loopdesk_tickets_created_total',
  help: 'Tickets created, by intake channel',
  labelNames: ['channel'] as const,
  registers: [registry],
});

export const jobRuns = new client.Counter({
  name: 'loopdesk_job_runs_total',
  help: 'Periodic job runs on this node, by job and outcome (busy: did work; idle: nothing to do; failed: threw)',
  labelNames: ['job', 'outcome'] as const,
  registers: [registry],
});

export const jobDuration = new client.Histogram({
  name: 'loopdesk_job_duration_seconds',
  help: 'Duration of periodic job runs that did work or failed, by job',
  labelNames: ['job'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

/** What job runs did, from their counts: e.g. {job="sla-sweep",item="fired"} (SLA effects fired), {job="outbox",item="failed"}. */
export const jobItems = new client.Counter({
  name: 'loopdesk_job_items_total',
  help: 'What periodic jobs did, by job and count name (sla-sweep fired = SLA effects fired; outbox sent/failed)',
  labelNames: ['job', 'item'] as const,
  registers: [registry],
});

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
/** Event-loop delay over the last scrape interval (prom-client's own lag metric samples once per scrape). */
new client.Gauge({
  name: 'loopdesk_event_loop_delay_seconds',
  help: 'Event-loop delay since the previous scrape (perf_hooks monitorEventLoopDelay), by quantile',
  labelNames: ['quantile'] as const,
  registers: [registry],
  aggregator: 'max', // of a cluster's processes (src/metrics/cluster-metrics.ts): the worst
  collect() {
    const ns = 1e9;
    this.set({ quantile: 'p50' }, loopDelay.percentile(50) / ns);
    this.set({ quantile: 'p99' }, loopDelay.percentile(99) / ns);
    this.set({ quantile: 'max' }, loopDelay.max / ns);
    loopDelay.reset();
  },
});

/**
 * Gauges whose value is read when scraped (pool use, backlog from the database); `read` returns
 * undefined to skip. `aggregator`: how a cluster's processes combine (default: summed); `max` for
 * a figure every process reads from the same database.
 */
export function scrapedGauge(opts: {
  name: string;
  help: string;
  labelNames?: readonly string[];
  aggregator?: 'sum' | 'max';
  read: () => Promise<Record<string, number> | number | undefined> | Record<string, number> | number | undefined;
}): void {
  const existing = registry.getSingleMetric(opts.name);
  if (existing) registry.removeSingleMetric(opts.name);
  const label = opts.labelNames?.[0];
  new client.Gauge({
    name: opts.name,
    help: opts.help,
    labelNames: opts.labelNames ?? [],
    registers: [registry],
    aggregator: opts.aggregator ?? 'sum',
    async collect() {
      let value: Record<string, number> | number | undefined;
      try {
        value = await opts.read();
      } catch {
        value = undefined; // the database is away: the gauge is missing from this scrape, /metrics still answers
      }
      this.reset();
      if (typeof value === 'number') this.set(value);
      else if (value && label) for (const [k, v] of Object.entries(value)) this.set({ [label]: k }, v);
    },
  });
}
