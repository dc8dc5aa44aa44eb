import { execFileSync } from 'node:child_process';
import { printTable } from './harness.js';
import { intakeRequest } from './memory.js';
import { loadFromAnotherProcess, startServed } from './served.js';

const SECONDS = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_OVERLOAD_CONNECTIONS ?? 1000);

/**
 * npm run bench -- overload: POST /api/v1/tickets from 1,000 connections (a separate process) on
 * the production build, without a limit on requests in flight and with the default
 * LOOPDESK_MAX_IN_FLIGHT: latency of every answer (p50/p99), tickets created, and 503s.
 */
export async function overload() {
  execFileSync('npm', ['run', 'build:server'], { stdio: 'ignore' });
  const rows = [];
  for (const limit of ['0', 'default']) {
    const server = await startServed('dist', limit === 'default' ? {} : { LOOPDESK_MAX_IN_FLIGHT: limit });
    try {
      const { headers, body } = await intakeRequest(server);
      const { result } = await loadFromAnotherProcess({
        url: `${server.url}/api/v1/tickets`,
        connections: CONNECTIONS,
        duration: SECONDS,
        method: 'POST',
        headers,
        body,
        timeout: 60,
      });
      rows.push({
        'in-flight limit': limit === '0' ? 'none' : 'default (128)',
        'p50 ms': result.latency.p50,
        'p99 ms': result.latency.p99,
        'max ms': result.latency.max,
        'created (2xx)': result['2xx'],
        'refused (non-2xx)': result.non2xx,
        errors: result.errors + result.timeouts,
      });
    } finally {
      await server.close();
    }
  }
  console.log(`POST /api/v1/tickets, ${CONNECTIONS} connections for ${SECONDS} s from another process`);
  printTable(rows);
}
