import cluster from 'node:cluster';
import { ConfigError, loadConfig } from './config.js';

// `npm start`: one node, or with LOOPDESK_PROCESSES > 1 a primary that runs that many (src/cluster.ts);
// each of them runs this file again as a cluster worker.
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.processes > 1 && cluster.isPrimary) {
    const { runPrimary } = await import('./cluster.js');
    runPrimary(config.processes);
    return;
  }
  const { startNode } = await import('./node.js');
  await startNode(config);
}

/**
 * The failure without the statement's parameters: a failed query's message lists them, and they
 * may hold a password hash or a customer's number. The database's own error (with its code) says
 * what went wrong.
 */
function describeFailure(err: unknown): string {
  const cause = err instanceof Error && err.message.startsWith('Failed query:') ? err.cause : err;
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  return `${cause.stack ?? cause.message}${typeof code === 'string' ? ` (code ${code})` : ''}`;
}

main().catch(async (err: unknown) => {
  // Imported here: a cluster's primary never opens the database, so it does not load its driver.
  const { DataDirLockedError } = await import('./db/client.js');
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(`Loopdesk failed to start: ${describeFailure(err)}`);
  process.exit(1);
});
