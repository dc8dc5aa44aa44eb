import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type ExcelJS from 'exceljs';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canSupervise, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import {
  kpiTable,
  ticketCells,
  ticketHeaders,
  trendTable,
  type Cell,
  type ExportLang,
  type Table,
} from '../../core/kpi/export-columns.js';
import { firstContactResolution, timeoutRate } from '../../core/kpi/formulas.js';
import { freeTextFor } from '../../core/privacy/free-text.js';
import { DashboardQuery } from '../../contracts/kpi.js';
import { TicketListQuery } from '../../contracts/tickets.js';
import { queryRows } from '../../db/client.js';
import { kpiExportDownloads, kpiExports, staff } from '../../db/schema.js';
import type { AttachmentStorage } from '../../storage/attachment-storage.js';
import type { Deps } from '../deps.js';
import { countTickets, listTickets } from '../tickets/list-tickets.js';
import { readDashboard } from './read-dashboard.js';

// Exports of the dashboard's figures and of the ticket list behind a figure (issue 16), as CSV
// (UTF-8 with BOM, so Excel opens Chinese correctly) or XLSX. The caller asks; the kpi-export job
// (one registry) claims the export with SKIP LOCKED (a builder that died loses it after a lease),
// streams the rows page by page into storage while it counts progress on the row, and the caller
// downloads the file; every download is logged. Rows are what the ticket list shows the caller,
// with free text masked by their role.

const LEASE_MS = 15 * 60_000;
const PAGE = 200;

export type ExportKind = 'tickets' | 'dashboard';
export type ExportFormat = 'csv' | 'xlsx';
export type ExportRequest = {
  kind: ExportKind;
  format: ExportFormat;
  lang: ExportLang;
  /** Ticket-list filters (kind tickets) or the dashboard's query (kind dashboard). */
  query: Record<string, string>;
};

export type ExportRecord = typeof kpiExports.$inferSelect;

function requireExporter(actor: Actor) {
  if (!canSupervise(actor)) throw new AppError('auth.forbidden', 'Only supervisors and administrators export KPIs');
}

/** Checks the query now (a wrong one is a 400 to the caller, not a failed job later). */
function parseQuery(kind: ExportKind, query: Record<string, string>) {
  const parsed =
    kind === 'tickets'
      ? TicketListQuery.safeParse({ ...query, cursor: undefined, limit: PAGE })
      : DashboardQuery.safeParse(query);
  if (!parsed.success)
    throw new AppError('request.invalid', 'The export’s filters are not valid', {
      issues: parsed.error.issues.map((i) => ({ path: ['query', ...i.path.map(String)], message: i.message })),
    });
  return parsed.data;
}

export async function requestExport(deps: Deps, actor: Actor, req: ExportRequest): Promise<ExportRecord> {
  requireExporter(actor);
  parseQuery(req.kind, req.query);
  const [row] = await deps.db
    .insert(kpiExports)
    .values({
      id: uuidv7(),
      staffId: actor.id,
      kind: req.kind,
      format: req.format,
      params: { lang: req.lang, query: req.query },
      createdAt: deps.clock.now(),
    })
    .returning();
  return row!;
}

/** One of the caller's exports (others' are not found). */
export async function readExport(deps: Deps, actor: Actor, id: string): Promise<ExportRecord> {
  requireExporter(actor);
  const [row] = await deps.db
    .select()
    .from(kpiExports)
    .where(and(eq(kpiExports.id, id), eq(kpiExports.staffId, actor.id)));
  if (!row) throw notFound('Export');
  return row;
}

/** The caller's latest exports. */
export async function listExports(deps: Deps, actor: Actor): Promise<ExportRecord[]> {
  requireExporter(actor);
  return deps.db
    .select()
    .from(kpiExports)
    .where(eq(kpiExports.staffId, actor.id))
    .orderBy(desc(kpiExports.createdAt))
    .limit(20);
}

/** The file of a finished export, for its owner; the download is logged first. */
export async function downloadExport(
  deps: Deps & { storage: AttachmentStorage },
  actor: Actor,
  id: string,
): Promise<{ stream: Readable; fileName: string; format: ExportFormat }> {
  const row = await readExport(deps, actor, id);
  if (row.status === 'expired')
    throw new AppError('export.expired', 'The export’s file was removed after its retention period; export again');
  if (row.status !== 'done' || !row.storageKey) throw new AppError('export.not_ready', 'The export is not ready yet');
  await deps.db.insert(kpiExportDownloads).values({ exportId: row.id, staffId: actor.id, createdAt: deps.clock.now() });
  return {
    stream: deps.storage.get(row.storageKey),
    fileName: row.fileName ?? `export.${row.format}`,
    format: row.format,
  };
}

/**
 * Removes the files of exports finished more than `keepDays` ago. Safe on several nodes: rows are
 * claimed with SKIP LOCKED and marked `expired` first (from then on the download answers 410),
 * then each file is removed and its key cleared in the transaction that holds the row, so a node
 * that dies in between leaves an expired row with a key, which the next run removes again.
 */
export async function removeExpiredKpiExports(
  deps: Deps & { storage: AttachmentStorage },
  opts: { keepDays: number; batch: number },
): Promise<{ expired: number; removed: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - opts.keepDays * 86_400_000);
  const expired = await queryRows<{ id: string }>(
    deps.db,
    sql`UPDATE ${kpiExports} SET status = 'expired'
        WHERE id IN (
          SELECT id FROM ${kpiExports}
          WHERE storage_key IS NOT NULL AND status IN ('done', 'expired') AND status = 'done' AND finished_at < ${cutoff}
          ORDER BY finished_at FOR UPDATE SKIP LOCKED LIMIT ${opts.batch})
        RETURNING id`,
  );
  const removed = await deps.db.transaction(async (tx) => {
    const files = await queryRows<{ id: string; storage_key: string }>(
      tx,
      sql`SELECT id, storage_key FROM ${kpiExports}
          WHERE storage_key IS NOT NULL AND status IN ('done', 'expired') AND status = 'expired'
          ORDER BY finished_at FOR UPDATE SKIP LOCKED LIMIT ${opts.batch}`,
    );
    for (const f of files) await deps.storage.remove(f.storage_key);
    if (files.length > 0)
      await tx
        .update(kpiExports)
        .set({ storageKey: null })
        .where(
          inArray(
            kpiExports.id,
            files.map((f) => f.id),
          ),
        );
    return files.length;
  });
  return { expired: expired.length, removed };
}

/** Writes tables into a byte stream as CSV or XLSX, one row at a time. */
type TableWriter = {
  begin(name: string, headers: string[]): Promise<void>;
  row(cells: Cell[]): Promise<void>;
  end(): Promise<void>;
};

function csvWriter(out: PassThrough): TableWriter {
  const csv = stringify({ bom: true, cast: { boolean: (b) => (b ? 'true' : 'false') } });
  csv.pipe(out);
  let first = true;
  const write = async (cells: Cell[]) => {
    if (!csv.write(cells.map((c) => (c === null ? '' : c)))) await once(csv, 'drain');
  };
  return {
    async begin(_name, headers) {
      // Several tables in one CSV are separated by an empty line.
      if (!first) await write([]);
      first = false;
      await write(headers);
    },
    row: write,
    async end() {
      csv.end();
      await once(csv, 'end');
    },
  };
}

function xlsxWriter(out: PassThrough, Excel: typeof ExcelJS): TableWriter {
  const book = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  let sheet: ExcelJS.Worksheet | null = null;
  return {
    async begin(name, headers) {
      if (sheet) sheet.commit();
      sheet = book.addWorksheet(name);
      sheet.addRow(headers).commit();
    },
    async row(cells) {
      sheet!.addRow(cells).commit();
      // The writer does not wait for the file to be stored: stop producing while storage catches up.
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    async end() {
      if (sheet) sheet.commit();
      await book.commit();
    },
  };
}

/**
 * Claims one queued export (or one whose builder died) and builds it. Returns whether it did one.
 * Safe on several nodes: the claim is an UPDATE of a row picked with SKIP LOCKED.
 */
export async function buildNextKpiExport(deps: Deps & { storage: AttachmentStorage }): Promise<boolean> {
  const now = deps.clock.now();
  const [claimed] = await queryRows<{ id: string }>(
    deps.db,
    sql`UPDATE ${kpiExports} SET status = 'running', done = 0, total = NULL, error = NULL,
          lease_until = ${new Date(now.getTime() + LEASE_MS)}
        WHERE id = (
          SELECT id FROM ${kpiExports}
          WHERE status = 'queued' OR (status = 'running' AND lease_until < ${now})
          ORDER BY created_at, id
          FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING id`,
  );
  if (!claimed) return false;
  const [row] = await deps.db.select().from(kpiExports).where(eq(kpiExports.id, claimed.id));
  const key = uuidv7();
  let stored: Promise<unknown> | null = null;
  try {
    const [owner] = await deps.db
      .select({ id: staff.id, role: staff.role, teamId: staff.teamId, active: staff.active })
      .from(staff)
      .where(eq(staff.id, row!.staffId));
    if (!owner?.active) throw new Error('the member of staff who asked for the export is no longer active');
    const actor: Actor = { id: owner.id, role: owner.role, teamId: owner.teamId };
    const params = row!.params as { lang: ExportLang; query: Record<string, string> };
    const out = new PassThrough();
    stored = deps.storage.put(key, out, Number.MAX_SAFE_INTEGER);
    const writer = row!.format === 'xlsx' ? xlsxWriter(out, (await import('exceljs')).default) : csvWriter(out);
    const progress = (done: number, total?: number) =>
      deps.db
        .update(kpiExports)
        .set({
          done,
          ...(total === undefined ? {} : { total }),
          leaseUntil: new Date(deps.clock.now().getTime() + LEASE_MS),
        })
        .where(and(eq(kpiExports.id, claimed.id), eq(kpiExports.status, 'running')));
    if (row!.kind === 'tickets') await writeTickets(deps, actor, params, writer, progress);
    else await writeDashboard(deps, actor, params, writer, progress);
    await writer.end();
    await stored;
    const day = deps.clock.now().toISOString().slice(0, 10);
    const [finished] = await deps.db
      .update(kpiExports)
      .set({
        status: 'done',
        storageKey: key,
        fileName: `${row!.kind}-${day}.${row!.format}`,
        finishedAt: deps.clock.now(),
        leaseUntil: null,
      })
      .where(and(eq(kpiExports.id, claimed.id), eq(kpiExports.status, 'running')))
      .returning({ id: kpiExports.id });
    if (!finished) await deps.storage.remove(key);
  } catch (err) {
    if (stored) await stored.catch(() => undefined);
    await deps.storage.remove(key).catch(() => undefined);
    await deps.db
      .update(kpiExports)
      .set({
        status: 'failed',
        error: err instanceof Error ? err.message.slice(0, 500) : 'failed',
        finishedAt: deps.clock.now(),
        leaseUntil: null,
      })
      .where(eq(kpiExports.id, claimed.id));
  }
  return true;
}

type Progress = (done: number, total?: number) => Promise<unknown>;

/** The ticket list page by page (the list's own query and order), masked for the caller. */
async function writeTickets(
  deps: Deps,
  actor: Actor,
  params: { lang: ExportLang; query: Record<string, string> },
  writer: TableWriter,
  progress: Progress,
) {
  const q = TicketListQuery.parse({ ...params.query, cursor: undefined, limit: PAGE });
  const total = await countTickets(deps, actor, q);
  await progress(0, total);
  const text = freeTextFor(actor);
  await writer.begin(params.lang === 'zh' ? '工单' : 'Tickets', ticketHeaders(params.lang));
  let cursor: string | undefined;
  let done = 0;
  for (;;) {
    const { rows, nextCursor } = await listTickets(deps, actor, { ...q, ...(cursor ? { cursor } : {}) });
    for (const r of rows)
      await writer.row(
        ticketCells({
          number: r.ticket.number,
          type: r.ticket.type,
          grade: r.ticket.grade,
          priority: r.ticket.priority,
          status: r.ticket.status,
          channel: r.ticket.channel,
          subject: text(r.ticket.subject),
          customer: { name: text(r.customer.name), tier: r.customer.tier },
          assignee: r.assignee?.id ? { displayName: r.assignee.displayName } : null,
          isRepeat: r.ticket.isRepeat,
          slaDueAt: r.ticket.slaDueAt?.toISOString() ?? null,
          createdAt: r.ticket.createdAt.toISOString(),
        }),
      );
    done += rows.length;
    await progress(done);
    if (!nextCursor) break;
    cursor = nextCursor;
  }
}

/** The dashboard's KPIs and trend for the period and filters asked for. */
async function writeDashboard(
  deps: Deps,
  actor: Actor,
  params: { lang: ExportLang; query: Record<string, string> },
  writer: TableWriter,
  progress: Progress,
) {
  const q = DashboardQuery.parse(params.query);
  await progress(0, 2);
  const d = await readDashboard(deps, actor, q);
  const tables: Table[] = [
    kpiTable(d.kpis, params.lang, q),
    trendTable(
      d.trend.map((t) => ({
        bucket: t.bucket,
        contacts: t.measures.contacts,
        resolved: t.measures.resolved,
        fcr: firstContactResolution(t.measures, d.settings).value,
        timeoutRate: timeoutRate(t.measures, d.settings).value,
      })),
      params.lang,
    ),
  ];
  let done = 0;
  for (const t of tables) {
    await writer.begin(t.name, t.headers);
    for (const r of t.rows) await writer.row(r);
    await progress(++done);
  }
}
