import cluster, { type Worker } from 'node:cluster';
import { serveClusterMetrics } from './metrics/cluster-metrics.js';

// Several server processes on one machine (LOOPDESK_PROCESSES > 1). A node's JavaScript runs on
// one thread, so one process uses one core; the primary here forks the others and does no other
// work, and node:cluster hands each new connection to one of them in turn. Every process is a node
// like any other — its own pool, LISTEN connection, caches and periodic jobs — so what keeps many
// nodes correct (the migration lock, SKIP LOCKED, unique keys, the database's notifications) keeps
// these correct too; nothing is shared between them but the port.

/** How long the primary waits before replacing a process that ended while serving. */
const RESTART_DELAY_MS = 1000;

export function runPrimary(processes: number): void {
  serveClusterMetrics();
  const served = new Set<number>(); // workers that got as far as listening
  let stopping = false;

  const exitWhenAllStopped = () => {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
  };
  const stopAll = (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    process.exitCode = exitCode;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    exitWhenAllStopped();
  };

  cluster.on('listening', (worker) => served.add(worker.id));
  cluster.on('exit', (worker: Worker, code, signal) => {
    if (stopping) return exitWhenAllStopped();
    if (!served.has(worker.id)) {
      // It could not start (configuration, database): the others would not either.
      console.error(`Loopdesk: a server process failed to start (exit code ${code}); stopping`);
      stopAll(code || 1);
      return;
    }
    console.error(
      `Loopdesk: server process ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); starting another`,
    );
    setTimeout(() => stopping || cluster.fork(), RESTART_DELAY_MS);
  });

  // The first applies the migrations (and loads demo data on an empty database) alone; the
  // others start once it is listening.
  console.log(`Loopdesk: starting ${processes} server processes`);
  cluster.fork().once('listening', () => {
    for (let i = 1; i < processes; i++) cluster.fork();
  });

  // Ctrl-C reaches every process of the terminal's group; a service manager signals the primary.
  process.once('SIGINT', () => stopAll(0));
  process.once('SIGTERM', () => stopAll(0));
}
