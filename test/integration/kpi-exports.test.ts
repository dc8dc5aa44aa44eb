import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiExportDownloads, kpiExports } from '../../src/db/schema.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { buildNextKpiExport, removeExpiredKpiExports } from '../../src/usecases/kpi/exports.js';
import { rollUpFacts } from '../../src/usecases/kpi/roll-up-facts.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// Exports of the ticket list behind a figure and of the dashboard's figures, as CSV (with BOM) and
// XLSX, built by the kpi-export job with progress, downloaded by their owner only, each download logged.

describe.each(ENGINES)('KPI exports on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let agent: Session;
  let supervisor: Session;
  const ids: string[] = [];

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    agent = await h.signIn('agent', team);
    supervisor = await h.signIn('supervisor', team);
    for (const subject of ['宽带频繁掉线', '套餐资费扣费异常', '手机无信号，回拨 13812345678'])
      ids.push(await h.buildTicket(agent.actor, { assignToMe: true, subject }));
    while ((await rollUpFacts(h.deps, { batch: 500, settleMs: 0 })).events > 0);
  });
  afterAll(() => h?.close());

  const call = (s: Session, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    h.request(s, { method, url, ...(payload ? { payload } : {}) });
  const build = async () => {
    const deps = { ...h.deps, storage: diskStorage(h.config.attachmentDir) };
    let n = 0;
    while (await buildNextKpiExport(deps)) n++;
    return n;
  };
  const drill = () => ({ kpi: 'contacts', factsFrom: '2026-11-20', factsTo: '2026-11-20', teamId: team });

  it('exports the ticket list behind a figure as CSV with a BOM, the same rows the list shows, with progress', async () => {
    const asked = await call(supervisor, 'POST', '/api/v1/kpi/exports', {
      kind: 'tickets',
      format: 'csv',
      lang: 'zh',
      query: drill(),
    });
    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toMatchObject({ status: 'queued', done: 0, total: null, fileName: null });
    const id = asked.json().id;
    expect((await call(supervisor, 'GET', `/api/v1/kpi/exports/${id}/download`)).json().error.code).toBe(
      'export.not_ready',
    );

    expect(await build()).toBe(1);
    const view = (await call(supervisor, 'GET', `/api/v1/kpi/exports/${id}`)).json();
    expect(view).toMatchObject({ status: 'done', total: 3, done: 3, fileName: 'tickets-2026-11-20.csv' });

    const file = await call(supervisor, 'GET', `/api/v1/kpi/exports/${id}/download`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    expect(file.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = file.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^工单号,类型,等级/);
    expect(lines).toHaveLength(4);
    const listed = (await call(supervisor, 'GET', `/api/v1/tickets?${new URLSearchParams(drill()).toString()}`)).json()
      .items as { number: string; subject: string }[];
    for (const t of listed) expect(lines.some((l) => l.startsWith(`${t.number},`) && l.includes(t.subject))).toBe(true);

    const log = await h.database.db.select().from(kpiExportDownloads).where(eq(kpiExportDownloads.exportId, id));
    expect(log).toMatchObject([{ staffId: supervisor.actor.id }]);
  });

  it('exports the list as XLSX that opens with the rows, headers in English when asked', async () => {
    const id = (
      await call(supervisor, 'POST', '/api/v1/kpi/exports', {
        kind: 'tickets',
        format: 'xlsx',
        lang: 'en',
        query: drill(),
      })
    ).json().id;
    await build();
    const file = await call(supervisor, 'GET', `/api/v1/kpi/exports/${id}/download`);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('Tickets');
    expect(sheet.getRow(1).getCell(1).value).toBe('Number');
    expect(sheet.rowCount).toBe(4);
    const subjects = [2, 3, 4].map((r) => sheet.getRow(r).getCell(7).value);
    expect(subjects).toContain('宽带频繁掉线');
  });

  it('exports the dashboard’s KPIs and trend, one sheet each in XLSX', async () => {
    const id = (
      await call(supervisor, 'POST', '/api/v1/kpi/exports', {
        kind: 'dashboard',
        format: 'xlsx',
        lang: 'zh',
        query: { from: '2026-11-14', to: '2026-11-20', teamId: team },
      })
    ).json().id;
    await build();
    expect((await call(supervisor, 'GET', `/api/v1/kpi/exports/${id}`)).json()).toMatchObject({
      status: 'done',
      done: 2,
      total: 2,
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await call(supervisor, 'GET', `/api/v1/kpi/exports/${id}/download`)).rawPayload as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(['指标', '趋势']);
    const kpis = book.worksheets[0]!;
    const qa = kpis.getRows(2, kpis.rowCount - 1)!.find((r) => r.getCell(2).value === 'qa_score')!;
    // No QA review: no value, never a made-up one.
    expect(qa.getCell(4).value).toBeNull();
    expect(book.worksheets[1]!.rowCount).toBe(8);
  });

  it('lets only supervisors export, only the owner see and download, and refuses bad filters with 400', async () => {
    expect(
      (await call(agent, 'POST', '/api/v1/kpi/exports', { kind: 'tickets', format: 'csv', query: {} })).statusCode,
    ).toBe(403);
    const id = (
      await call(supervisor, 'POST', '/api/v1/kpi/exports', { kind: 'tickets', format: 'csv', query: drill() })
    ).json().id;
    await build();
    const other = await h.signIn('supervisor', team);
    expect((await call(other, 'GET', `/api/v1/kpi/exports/${id}`)).statusCode).toBe(404);
    expect((await call(other, 'GET', `/api/v1/kpi/exports/${id}/download`)).statusCode).toBe(404);
    const bad = await call(supervisor, 'POST', '/api/v1/kpi/exports', {
      kind: 'dashboard',
      format: 'csv',
      query: { from: '2026-12-01', to: '2026-11-01' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('request.invalid');
  });

  it('takes over an export whose builder died once its lease has passed', async () => {
    const id = (
      await call(supervisor, 'POST', '/api/v1/kpi/exports', { kind: 'tickets', format: 'csv', query: drill() })
    ).json().id;
    await h.database.db
      .update(kpiExports)
      .set({ status: 'running', leaseUntil: new Date(clock.now().getTime() + 60_000) })
      .where(eq(kpiExports.id, id));
    expect(await build()).toBe(0);
    clock.advance(2 * 60_000);
    supervisor = await h.login({ ...supervisor.actor, username: supervisor.username });
    expect(await build()).toBe(1);
    expect((await call(supervisor, 'GET', `/api/v1/kpi/exports/${id}`)).json()).toMatchObject({
      status: 'done',
      done: 3,
    });
  });

  it('removes finished export files after the retention period, once across nodes, and the link answers 410', async () => {
    const id = (
      await call(supervisor, 'POST', '/api/v1/kpi/exports', { kind: 'tickets', format: 'xlsx', query: drill() })
    ).json().id;
    expect(await build()).toBe(1);
    const [row] = await h.database.db.select().from(kpiExports).where(eq(kpiExports.id, id));
    const file = join(h.config.attachmentDir, row!.storageKey!.slice(0, 2), row!.storageKey!);
    expect(existsSync(file)).toBe(true);
    const deps = { ...h.deps, storage: diskStorage(h.config.attachmentDir) };
    const cleanup = () => removeExpiredKpiExports(deps, { keepDays: 7, batch: 50 });

    // Six days on: still downloadable.
    clock.advance(6 * 86_400_000);
    supervisor = await h.login({ ...supervisor.actor, username: supervisor.username });
    expect(await cleanup()).toEqual({ expired: 0, removed: 0 });
    expect((await call(supervisor, 'GET', `/api/v1/kpi/exports/${id}/download`)).statusCode).toBe(200);

    // Past seven days: two nodes run the job at once; each export is expired and removed once.
    clock.advance(2 * 86_400_000);
    supervisor = await h.login({ ...supervisor.actor, username: supervisor.username });
    const runs = await Promise.all([cleanup(), cleanup()]);
    const expiredNow = await h.database.db.select().from(kpiExports).where(eq(kpiExports.status, 'expired'));
    expect(runs.reduce((n, r) => n + r.expired, 0)).toBe(expiredNow.length);
    expect(runs.reduce((n, r) => n + r.removed, 0)).toBe(expiredNow.length);
    expect(expiredNow.map((r) => r.id)).toContain(id);
    expect(expiredNow.every((r) => r.storageKey === null)).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(await cleanup()).toEqual({ expired: 0, removed: 0 });

    const gone = await call(supervisor, 'GET', `/api/v1/kpi/exports/${id}/download`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().error.code).toBe('export.expired');
    expect((await call(supervisor, 'GET', `/api/v1/kpi/exports/${id}`)).json()).toMatchObject({ status: 'expired' });
  });

  it('removes the file of an export marked expired by a node that died before removing it', async () => {
    const id = (
      await call(supervisor, 'POST', '/api/v1/kpi/exports', { kind: 'tickets', format: 'csv', query: drill() })
    ).json().id;
    expect(await build()).toBe(1);
    const [row] = await h.database.db
      .update(kpiExports)
      .set({ status: 'expired' })
      .where(eq(kpiExports.id, id))
      .returning();
    const file = join(h.config.attachmentDir, row!.storageKey!.slice(0, 2), row!.storageKey!);
    expect(existsSync(file)).toBe(true);
    const deps = { ...h.deps, storage: diskStorage(h.config.attachmentDir) };
    expect(await removeExpiredKpiExports(deps, { keepDays: 7, batch: 50 })).toEqual({ expired: 0, removed: 1 });
    expect(existsSync(file)).toBe(false);
  });
});
