import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { registry } from './metrics.js';

// /metrics when one machine runs several server processes (LOOPDESK_PROCESSES, src/cluster.ts).
// Prometheus scrapes one address, and node:cluster hands each of its requests to any process, so
// the process that answers asks the primary, which gathers every process's registry over the
// cluster's IPC channel (prom-client's AggregatorRegistry) and sums them: counters and histograms
// add up, and gauges that read the same database figure on every process say how to combine.

const REQUEST = 'loopdesk:metrics-request';
const REPLY = 'loopdesk:metrics-reply';
type Reply = { type: typeof REPLY; id: number; text?: string; error?: string };

let nextId = 0;
const waiting = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();

/** The text /metrics answers: this process's metrics, or in a cluster every process's, summed. */
export function metricsText(): Promise<string> {
  if (!cluster.isWorker) return registry.metrics();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    process.send!({ type: REQUEST, id });
  });
}

if (cluster.isWorker) {
  // Answers the primary's requests for this process's metrics (prom-client's own messages).
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry();
  // And the primary's answers to this process's requests for the cluster's.
  process.on('message', (message: Reply) => {
    if (message?.type !== REPLY) return;
    const request = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.text !== undefined) request?.resolve(message.text);
    else request?.reject(new Error(`metrics of the cluster: ${message.error}`));
  });
}

/** In the primary: answers the processes' requests for the cluster's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id: number }) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: REPLY, id: message.id, text } satisfies Reply),
      (err: unknown) => worker.send({ type: REPLY, id: message.id, error: String(err) } satisfies Reply),
    );
  });
}
