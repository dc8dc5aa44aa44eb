import { and, eq, isNull } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailSender } from '../../src/channels/email/outbound.js';
import { kpiExports, outbox, reportRuns, reportSchedules } from '../../src/db/schema.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { deliverOutbox } from '../../src/usecases/channels/outbound.js';
import { buildNextKpiExport } from '../../src/usecases/kpi/exports.js';
import { runScheduledReports } from '../../src/usecases/kpi/report-schedules.js';
import { rollUpFacts } from '../../src/usecases/kpi/roll-up-facts.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// Scheduled reports (issue 16): a supervisor's schedule of a KPI export, due at a local time in the
// installation's time zone (Asia/Shanghai), started once per period across nodes, mailed through
// the outbox to each recipient with the file attached.

describe.each(ENGINES)('scheduled KPI reports on %s', (engine) => {
  let h: Harness;
  // 10:00 Beijing on Friday 20 November 2026.
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let agent: Session;
  let supervisor: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    agent = await h.signIn('agent', team);
    supervisor = await h.signIn('supervisor', team);
    for (const subject of ['宽带频繁掉线', '套餐资费扣费异常'])
      await h.buildTicket(agent.actor, { assignToMe: true, subject });
    while ((await rollUpFacts(h.deps, { batch: 500, settleMs: 0 })).events > 0);
  });
  afterAll(() => h?.close());

  // Sessions lapse when the clock jumps days ahead: sign in again.
  const again = (s: Session) => h.login({ ...s.actor, username: s.username });
  const storage = () => diskStorage(h.config.attachmentDir);
  const call = (
    s: Session,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
  ) => h.request(s, { method, url, ...(payload ? { payload } : {}) });
  const schedule = (fields: Record<string, unknown> = {}) => ({
    name: '宽带投诉日报',
    what: { kind: 'tickets', kpi: 'contacts', teamId: team },
    format: 'csv',
    lang: 'zh',
    frequency: 'daily',
    sendTime: '09:00',
    recipients: ['li.lei@example.cn', 'han.meimei@example.cn'],
    ...fields,
  });
  const create = async (s: Session, fields: Record<string, unknown> = {}) => {
    const res = await call(s, 'POST', '/api/v1/kpi/report-schedules', schedule(fields));
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string; nextRunAt: string }>();
  };
  const buildExports = async () => {
    while (await buildNextKpiExport({ ...h.deps, storage: storage() }));
  };
  const runsOf = (id: string) => h.database.db.select().from(reportRuns).where(eq(reportRuns.scheduleId, id));
  const mailsOf = (id: string) =>
    h.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.channel, 'email'), isNull(outbox.ticketId)))
      .then((rows) => rows.filter((r) => r.payload.kind === 'scheduled_report' && r.payload.scheduleId === id));

  /** Delivers the outbox through a capturing SMTP transport: the mails as a mail client reads them. */
  const deliverMails = async () => {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const sent: Buffer[] = [];
    const capturing = {
      sendMail: async (mail: nodemailer.SendMailOptions) => {
        const info = await transport.sendMail(mail);
        sent.push(info.message as Buffer);
        return info;
      },
    } as unknown as nodemailer.Transporter;
    const senders = {
      email: emailSender(h.deps, capturing, {
        from: '客服中心 <kf@loopdesk.example>',
        messageIdDomain: 'loopdesk.example',
        storage: storage(),
      }),
    };
    // Earlier tests' schedules are due too: deliver until the outbox is empty.
    while ((await deliverOutbox(h.deps, senders)).sent > 0);
    return Promise.all(sent.map((s) => simpleParser(s)));
  };

  it('mails a daily report at the local send time for the day before: one mail per recipient, the export attached', async () => {
    const created = await create(supervisor);
    // Created at 10:00 Beijing, after today's 09:00: the first send is tomorrow 09:00 (01:00 UTC).
    expect(created.nextRunAt).toBe('2026-11-21T01:00:00.000Z');
    clock.set(new Date('2026-11-21T00:59:00Z'));
    await runScheduledReports(h.deps);
    expect(await runsOf(created.id)).toHaveLength(0);

    clock.set(new Date('2026-11-21T01:00:00Z'));
    expect((await runScheduledReports(h.deps)).started).toBeGreaterThanOrEqual(1);
    const [run] = await runsOf(created.id);
    expect(run).toMatchObject({ periodKey: '2026-11-20', periodFrom: '2026-11-20', periodTo: '2026-11-20' });
    // The file is an ordinary export of the owner (masked as for the owner's role).
    const [file] = await h.database.db.select().from(kpiExports).where(eq(kpiExports.id, run!.exportId!));
    expect(file).toMatchObject({ staffId: supervisor.actor.id, kind: 'tickets', format: 'csv' });
    expect(await mailsOf(created.id)).toHaveLength(0);

    await buildExports();
    await runScheduledReports(h.deps);
    const queued = await mailsOf(created.id);
    expect(queued.map((m) => m.recipient).sort()).toEqual(['han.meimei@example.cn', 'li.lei@example.cn']);
    expect((await runsOf(created.id))[0]).toMatchObject({ status: 'sent', emails: 2 });

    const mails = (await deliverMails()).filter((m) => m.subject?.includes('宽带投诉日报'));
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.subject).toBe('Loopdesk 报表：宽带投诉日报（2026-11-20）');
      expect(mail.attachments).toHaveLength(1);
      const [attachment] = mail.attachments;
      expect(attachment!.filename).toBe('宽带投诉日报-2026-11-20.csv');
      const csv = attachment!.content.toString('utf8');
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      expect(csv).toContain('宽带频繁掉线');
      expect(csv).toContain('套餐资费扣费异常');
    }
    supervisor = await again(supervisor);
    const list = (await call(supervisor, 'GET', '/api/v1/kpi/report-schedules')).json();
    // The send times are local times of the installation's zone, which the list names.
    expect(list.timeZone).toBe('Asia/Shanghai');
    const listed = list.items;
    expect(listed.find((s: { id: string }) => s.id === created.id)).toMatchObject({
      lastRunAt: '2026-11-21T01:00:00.000Z',
      nextRunAt: '2026-11-22T01:00:00.000Z',
      lastError: null,
    });
  });

  it('starts a period once, with two runners at once and when run again', async () => {
    const owner = await h.signIn('supervisor', team);
    const created = await create(owner, { sendTime: '10:00' });
    clock.set(new Date(created.nextRunAt));
    const [a, b] = await Promise.all([runScheduledReports(h.deps), runScheduledReports(h.deps)]);
    expect(a.started + b.started).toBe(1);
    await runScheduledReports(h.deps);
    // Even a second claim of the same period (as if next_run_at were not moved on) inserts nothing.
    await h.database.db
      .update(reportSchedules)
      .set({ nextRunAt: new Date(created.nextRunAt) })
      .where(eq(reportSchedules.id, created.id));
    await runScheduledReports(h.deps);
    const runs = await runsOf(created.id);
    expect(runs).toHaveLength(1);
    await buildExports();
    await Promise.all([runScheduledReports(h.deps), runScheduledReports(h.deps)]);
    expect(await mailsOf(created.id)).toHaveLength(2);
  });

  it('sends a monthly report on the 1st local time, for the whole month before, across the month end', async () => {
    const owner = await h.signIn('supervisor', team);
    const created = await create(owner, {
      name: '月报',
      what: { kind: 'dashboard', granularity: 'week', teamId: team },
      format: 'xlsx',
      frequency: 'monthly',
      sendTime: '07:00',
    });
    // 07:00 on 1 December in Beijing is 23:00 UTC on 30 November.
    expect(created.nextRunAt).toBe('2026-11-30T23:00:00.000Z');
    clock.set(new Date('2026-11-30T22:59:00Z'));
    await runScheduledReports(h.deps);
    expect(await runsOf(created.id)).toHaveLength(0);
    clock.set(new Date('2026-11-30T23:00:00Z'));
    await runScheduledReports(h.deps);
    const [run] = await runsOf(created.id);
    expect(run).toMatchObject({ periodKey: '2026-11', periodFrom: '2026-11-01', periodTo: '2026-11-30' });
    const [file] = await h.database.db.select().from(kpiExports).where(eq(kpiExports.id, run!.exportId!));
    expect(file!.params).toMatchObject({
      query: { from: '2026-11-01', to: '2026-11-30', granularity: 'week', teamId: team },
    });
    expect((file!.params as { query: object }).query).not.toHaveProperty('kind');
    const view = (await call(await again(owner), 'GET', '/api/v1/kpi/report-schedules')).json().items[0];
    expect(view.nextRunAt).toBe('2026-12-31T23:00:00.000Z');
  });

  it('refuses bad recipients, a bad send time and a non-supervisor with 4xx and a code', async () => {
    supervisor = await again(supervisor);
    agent = await again(agent);
    const post = (s: Session, fields: Record<string, unknown>) =>
      call(s, 'POST', '/api/v1/kpi/report-schedules', schedule(fields));
    for (const recipients of [
      ['not-an-address'],
      [],
      Array.from({ length: 21 }, (_, i) => `r${i}@example.cn`),
      ['a@example.cn', 'A@example.cn'],
    ]) {
      const res = await post(supervisor, { recipients });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('request.invalid');
    }
    expect(
      (await post(supervisor, { recipients: Array.from({ length: 20 }, (_, i) => `r${i}@example.cn`) })).statusCode,
    ).toBe(201);
    expect((await post(supervisor, { sendTime: '24:00' })).json().error.code).toBe('request.invalid');
    expect((await post(supervisor, { what: { kind: 'tickets', kpi: 'everything' } })).statusCode).toBe(400);
    const forbidden = await post(agent, {});
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('auth.forbidden');
  });

  it('lets the owner send now, change and deactivate a schedule; others get 404; a failed export is the last error', async () => {
    const owner = await h.signIn('supervisor', team);
    const created = await create(owner, { frequency: 'weekly', recipients: ['wang.wu@example.cn'] });
    const other = await h.signIn('supervisor', team);
    expect((await call(other, 'POST', `/api/v1/kpi/report-schedules/${created.id}/send-now`)).statusCode).toBe(404);
    expect((await call(other, 'PATCH', `/api/v1/kpi/report-schedules/${created.id}`, { name: 'x' })).statusCode).toBe(
      404,
    );

    const now = await call(owner, 'POST', `/api/v1/kpi/report-schedules/${created.id}/send-now`);
    expect(now.statusCode).toBe(202);
    // 1 December 07:00 Beijing (Tuesday): the last complete week is 23–29 November.
    expect(now.json()).toMatchObject({ from: '2026-11-23', to: '2026-11-29' });
    await buildExports();
    await runScheduledReports(h.deps);
    expect(await mailsOf(created.id)).toHaveLength(1);

    const changed = await call(owner, 'PATCH', `/api/v1/kpi/report-schedules/${created.id}`, {
      recipients: ['wang.wu@example.cn', 'zhao.liu@example.cn'],
      format: 'xlsx',
    });
    expect(changed.json()).toMatchObject({ format: 'xlsx', recipients: ['wang.wu@example.cn', 'zhao.liu@example.cn'] });

    // The export fails (its file's builder cannot read the period): recorded on the schedule.
    const second = (await call(owner, 'POST', `/api/v1/kpi/report-schedules/${created.id}/send-now`)).json();
    const [run] = await h.database.db.select().from(reportRuns).where(eq(reportRuns.id, second.runId));
    await h.database.db
      .update(kpiExports)
      .set({ status: 'failed', error: 'storage full' })
      .where(eq(kpiExports.id, run!.exportId!));
    await runScheduledReports(h.deps);
    const failed = (await call(owner, 'GET', '/api/v1/kpi/report-schedules')).json().items[0];
    expect(failed).toMatchObject({ lastError: 'storage full' });
    expect(await mailsOf(created.id)).toHaveLength(1);

    const off = await call(owner, 'POST', `/api/v1/kpi/report-schedules/${created.id}/deactivate`);
    expect(off.json()).toMatchObject({ active: false, nextRunAt: null });
    clock.advance(14 * 86_400_000);
    await runScheduledReports(h.deps);
    expect(await runsOf(created.id)).toHaveLength(2);
  });

  it('lets the owner or an administrator change and delete a schedule, its runs with it; other supervisors get 404', async () => {
    const owner = await h.signIn('supervisor', team);
    const other = await h.signIn('supervisor', team);
    const admin = await h.signIn('admin', null);
    const url = (id: string) => `/api/v1/kpi/report-schedules/${id}`;
    const created = await create(owner, { name: '周报' });
    expect((await call(owner, 'POST', `${url(created.id)}/send-now`)).statusCode).toBe(202);
    expect(await runsOf(created.id)).toHaveLength(1);

    expect((await call(other, 'PATCH', url(created.id), { name: '别人的' })).statusCode).toBe(404);
    expect((await call(other, 'DELETE', url(created.id))).statusCode).toBe(404);
    expect((await call(await again(agent), 'DELETE', url(created.id))).statusCode).toBe(403);

    const renamed = await call(admin, 'PATCH', url(created.id), { name: '宽带周报', sendTime: '07:30' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: '宽带周报', sendTime: '07:30', active: true });

    const removed = await call(owner, 'DELETE', url(created.id));
    expect(removed.statusCode, removed.body).toBe(204);
    const listed = (await call(owner, 'GET', '/api/v1/kpi/report-schedules')).json<{ items: { id: string }[] }>();
    expect(listed.items.map((i) => i.id)).not.toContain(created.id);
    expect(await runsOf(created.id)).toHaveLength(0);
    expect((await call(owner, 'DELETE', url(created.id))).statusCode).toBe(404);

    const another = await create(owner, { name: '月报', frequency: 'monthly' });
    expect((await call(admin, 'DELETE', url(another.id))).statusCode).toBe(204);
    expect((await call(owner, 'PATCH', url(another.id), { name: 'x' })).statusCode).toBe(404);
  });

  it('mails the ticket list behind a figure with the drill-down’s filters: exactly the tickets the desk lists for that drill', async () => {
    // 10:00 Beijing on Tuesday 5 January 2027: one team's agents resolve tickets, one is reopened.
    clock.set(new Date('2027-01-05T02:00:00Z'));
    const front = await h.buildTeam();
    const other = await h.buildTeam();
    const [mine, colleague, elsewhere] = [
      await h.signIn('agent', front),
      await h.signIn('agent', front),
      await h.signIn('agent', other),
    ];
    const post = (s: Session, url: string, payload: Record<string, unknown>) => call(s, 'POST', url, payload);
    const resolved = async (s: Session, subject: string, reopen: boolean) => {
      const id = await h.buildTicket(s.actor, { assignToMe: true, subject });
      await post(s, `/api/v1/tickets/${id}/transitions`, { action: 'start' });
      await post(s, `/api/v1/tickets/${id}/messages`, { visibility: 'public', body: '已为您处理完毕。' });
      clock.advance(60_000);
      await post(s, `/api/v1/tickets/${id}/transitions`, { action: 'resolve' });
      if (reopen) {
        await post(s, `/api/v1/tickets/${id}/confirmation`, { solved: false, note: '问题依旧' });
        await post(s, `/api/v1/tickets/${id}/transitions`, { action: 'start' });
        await post(s, `/api/v1/tickets/${id}/transitions`, { action: 'resolve' });
      }
    };
    await resolved(mine, '光猫反复重启', true); // behind the figure
    await resolved(mine, '宽带开通进度查询', false); // resolved at first contact: not behind it
    await resolved(colleague, '营业厅办理携号转网', true); // another agent of the team
    await resolved(elsewhere, '国际漫游无法使用', true); // another team
    while ((await rollUpFacts(h.deps, { batch: 500, settleMs: 0 })).events > 0);

    const owner = await h.signIn('supervisor', front);
    const drill = { kpi: 'not_fcr', factsFrom: '2027-01-05', factsTo: '2027-01-05', teamId: front };
    const listed = async (filters: Record<string, string>) =>
      (await call(owner, 'GET', `/api/v1/tickets?${new URLSearchParams(filters).toString()}`))
        .json<{ items: { subject: string }[] }>()
        .items.map((t) => t.subject)
        .sort();
    expect(await listed(drill)).toEqual(['光猫反复重启', '营业厅办理携号转网']);
    expect(await listed({ ...drill, assigneeId: mine.actor.id })).toEqual(['光猫反复重启']);

    const team = await create(owner, {
      name: '首次解决率未达标工单 · 一线客服组',
      what: { kind: 'tickets', kpi: 'not_fcr', teamId: front },
      recipients: ['li.lei@example.cn'],
    });
    const agentOnly = await create(owner, {
      name: 'Tickets behind first-contact resolution · one agent',
      what: { kind: 'tickets', kpi: 'not_fcr', teamId: front, agentId: mine.actor.id },
      lang: 'en',
      format: 'xlsx',
      recipients: ['han.meimei@example.cn'],
    });
    // Both send at 09:00 on 6 January, for 5 January.
    clock.set(new Date('2027-01-06T01:00:00Z'));
    await runScheduledReports(h.deps);
    await buildExports();
    await runScheduledReports(h.deps);
    expect((await mailsOf(team.id)).map((m) => m.recipient)).toEqual(['li.lei@example.cn']);
    expect((await mailsOf(agentOnly.id)).map((m) => m.recipient)).toEqual(['han.meimei@example.cn']);

    const mails = await deliverMails();
    const teamMail = mails.find((m) => m.subject === 'Loopdesk 报表：首次解决率未达标工单 · 一线客服组（2027-01-05）');
    const csv = teamMail!.attachments[0]!.content.toString('utf8');
    const subjects = ['光猫反复重启', '宽带开通进度查询', '营业厅办理携号转网', '国际漫游无法使用'];
    expect(subjects.filter((s) => csv.includes(s))).toEqual(['光猫反复重启', '营业厅办理携号转网']);
    // A header and one line per ticket.
    expect(csv.trim().split('\n')).toHaveLength(3);

    const agentMail = mails.find((m) => m.subject?.startsWith('Loopdesk report: Tickets behind'));
    expect(agentMail!.attachments[0]!.filename).toBe(
      'Tickets behind first-contact resolution · one agent-2027-01-05.xlsx',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(agentMail!.attachments[0]!.content as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const cells = sheet.getSheetValues().flat().map(String);
    expect(subjects.filter((s) => cells.includes(s))).toEqual(['光猫反复重启']);
    expect(sheet.rowCount).toBe(2);
  });
});
