// The API server for the intake-ratio bench, in its own process(es) so the load generator does not
// compete with it for its thread. DATABASE_URL: a migrated database; BENCH_SERVER_PROCESSES: how
// many processes share the port (default 1; more are run by src/cluster.ts, as LOOPDESK_PROCESSES
// runs them). Prints "listening <port>" when ready; SIGTERM closes it cleanly.
// BENCH_CPU_PROF=<dir>: SIGUSR2 starts a CPU profile (after the warm-up, so start-up is left out)
// that SIGTERM writes to <dir>.
import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/client.js';
import { buildApp } from '../src/http/app.js';
import { runPrimary } from '../src/cluster.js';
import { diskStorage } from '../src/storage/attachment-storage.js';
import { tokenizeForSearch } from '../src/text/segmenter.js';

const processes = Number(process.env.BENCH_SERVER_PROCESSES ?? 1);
const port = Number(process.env.BENCH_PORT ?? 0);

if (processes > 1 && cluster.isPrimary) {
  // The production primary (what LOOPDESK_PROCESSES runs).
  runPrimary(processes);
  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    if (++listening === processes) console.log(`listening ${address.port}`);
  });
  process.on('SIGUSR2', () => {}); // the bench signals each worker itself to start profiling
} else {
  const database = await openPostgres(process.env.DATABASE_URL!, Number(process.env.BENCH_POOL ?? 10));
  const config = loadConfig({ LOOPDESK_DATA_DIR: join(tmpdir(), 'loopdesk-bench'), LOG_LEVEL: 'silent' });
  const app = await buildApp({
    database,
    config,
    clock: { now: () => new Date() },
    storage: diskStorage(config.attachmentDir),
    indexText: tokenizeForSearch,
    log: false,
  });
  // Workers of a cluster ask the primary for the port: port 0 gives them all the same one.
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  if (!cluster.isWorker) console.log(`listening ${bound}`);
  const profileDir = process.env.BENCH_CPU_PROF;
  const profiler = profileDir ? new Session() : undefined;
  process.on('SIGUSR2', () => {
    void (async () => {
      profiler!.connect();
      await profiler!.post('Profiler.enable');
      await profiler!.post('Profiler.start');
    })();
  });
  process.once('SIGTERM', () => {
    void (async () => {
      if (profiler) {
        const { profile } = await profiler.post('Profiler.stop');
        writeFileSync(join(profileDir!, `server-${process.pid}.cpuprofile`), JSON.stringify(profile));
      }
      await app.close();
      await database.close();
      process.exit(0);
    })();
  });
}
