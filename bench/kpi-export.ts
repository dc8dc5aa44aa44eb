import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { kpiExports, staff } from '../src/db/schema.js';
import { diskStorage } from '../src/storage/attachment-storage.js';
import { buildNextKpiExport } from '../src/usecases/kpi/exports.js';
import { printTable } from './harness.js';
import { seededDatabase } from './ticket-list.js';

const TOTAL = Number(process.env.BENCH_EXPORT_TICKETS ?? 50_000);
const execFileAsync = promisify(execFile);

/**
 * Does an export of the whole ticket list stream in flat memory? An administrator exports every
 * ticket as CSV and as XLSX through the kpi-export job (pages of 200 by the list's cursor into
 * storage); rows/s and the growth of the process's RSS while it runs, beside PostgreSQL's own
 * `COPY (…) TO` of the same columns of the same rows in the same run.
 */
export async function kpiExport() {
  const db = await seededDatabase(TOTAL);
  const dir = await mkdtemp(join(tmpdir(), 'loopdesk-export-bench-'));
  try {
    const adminId = uuidv7();
    await db.deps.db
      .insert(staff)
      .values({ id: adminId, username: 'bench-admin', displayName: '管理员', role: 'admin', passwordHash: 'x' });
    const deps = { ...db.deps, storage: diskStorage(dir) };
    const rows: Record<string, string | number>[] = [];
    for (const format of ['csv', 'xlsx'] as const) {
      await deps.db.insert(kpiExports).values({
        id: uuidv7(),
        staffId: adminId,
        kind: 'tickets',
        format,
        params: { lang: 'zh', query: {} },
      });
      global.gc?.();
      const before = process.memoryUsage().rss;
      const heapBefore = process.memoryUsage().heapUsed;
      let peak = before;
      let heapPeak = heapBefore;
      // Live heap: sampled right after a collection (run with --expose-gc), so garbage not yet
      // collected does not count as growth.
      let tick = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
        if (global.gc && ++tick % 10 === 0) {
          global.gc();
          heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
        }
      }, 20);
      const start = performance.now();
      await buildNextKpiExport(deps);
      const seconds = (performance.now() - start) / 1000;
      clearInterval(sampler);
      rows.push({
        run: `export ${format}`,
        rows: TOTAL,
        'rows/s': TOTAL / seconds,
        'peak RSS MB': peak / 1_048_576,
        'RSS growth MB': (peak - before) / 1_048_576,
        'heap growth MB': (heapPeak - heapBefore) / 1_048_576,
      });
    }
    // The same rows through `COPY (…) TO STDOUT` to a client (psql, its output discarded).
    const start = performance.now();
    await execFileAsync('psql', [
      db.url,
      '-qAt',
      '-o',
      '/dev/null',
      '-c',
      `COPY (SELECT t.number, t.type, t.grade, t.priority, t.status, t.channel, t.subject, c.name, c.tier,
                    s.display_name, t.is_repeat, t.sla_due_at, t.created_at
             FROM tickets t JOIN customers c ON c.id = t.customer_id LEFT JOIN staff s ON s.id = t.assignee_id
             ORDER BY t.created_at DESC, t.id DESC) TO STDOUT WITH (FORMAT csv, HEADER)`,
    ]);
    const seconds = (performance.now() - start) / 1000;
    rows.push({
      run: 'COPY … TO STDOUT (psql)',
      rows: TOTAL,
      'rows/s': TOTAL / seconds,
      'peak RSS MB': 0,
      'RSS growth MB': 0,
      'heap growth MB': 0,
    });
    for (const r of rows) r['× COPY'] = (rows.at(-1)!['rows/s'] as number) / (r['rows/s'] as number);
    printTable(rows);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await db.close();
  }
}
