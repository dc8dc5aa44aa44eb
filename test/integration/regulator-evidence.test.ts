import { eq } from 'drizzle-orm';
import JSZip from 'jszip';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callRecords, piiAccessLog } from '../../src/db/schema.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// The evidence pack contains what it should, and no unmasked personal data for a masked recipient.
describe.each(ENGINES)('regulator evidence packs on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let agent: Session;
  let supervisor: Session;
  const msisdn = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const idNumber = '440106198807153318';
  const address = '广东省广州市天河区体育西路 88 号 1203 室';
  let referralId: string;
  let complaintNumber: string;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    const team = await h.buildTeam();
    agent = await h.signIn('agent', team);
    supervisor = await h.signIn('supervisor', team);
    const customerId = await h.buildCustomer({ name: '陈大文', numbers: [msisdn], idNumber, address });
    clock.advance(-2 * 86_400_000);
    const complaintId = await h.buildTicket(agent.actor, {
      customerId,
      type: 'complaint',
      subject: '套餐外流量扣费',
      description: `用户 ${msisdn} 投诉十月多扣流量费 58 元。`,
    });
    clock.advance(2 * 86_400_000);
    const complaint = await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${complaintId}` });
    complaintNumber = complaint.json().number;
    const created = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/regulator/referrals',
      payload: {
        sourceCode: 'ca-12300',
        referralNumber: `YUE-${uuidv7().slice(0, 8)}`,
        receivedOn: '2026-11-20',
        deadline: '2026-11-30',
        appellant: { name: '陈大文', msisdn },
        respondentUnit: '广州分公司',
        category: 'fee_dispute',
        claim: `退还多扣的 58 元，回电 ${msisdn}`,
        facts: `身份证 ${idNumber}，住址 ${address}`,
      },
    });
    expect(created.statusCode).toBe(201);
    referralId = created.json().id;
    const ticketId = created.json().ticket.id;
    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      payload: { visibility: 'internal', body: `已致电 ${msisdn}，用户要求书面答复。` },
    });
    const boundary = 'xxBOUNDARYxx';
    const upload = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/attachments`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="账单.txt"\r\nContent-Type: text/plain\r\n\r\n十月账单截图说明\r\n--${boundary}--\r\n`,
    });
    expect(upload.statusCode).toBe(201);
    await h.database.db.insert(callRecords).values({
      id: uuidv7(),
      callId: `call-${uuidv7()}`,
      caller: msisdn,
      customerId,
      ticketId,
      startedAt: clock.now(),
      endedAt: new Date(clock.now().getTime() + 180_000),
      recordingUrl: 'https://rec.example.cn/a.mp3',
    });
  });
  afterAll(() => h?.close());

  async function generate(s: Session, body: Record<string, unknown>) {
    return h.request(s, {
      method: 'POST',
      url: `/api/v1/regulator/referrals/${referralId}/evidence-packs`,
      payload: body,
    });
  }
  async function download(s: Session, packId: string) {
    const res = await h.request(s, { method: 'GET', url: `/api/v1/regulator/evidence-packs/${packId}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    return JSZip.loadAsync(res.rawPayload);
  }

  it('builds a masked pack with the summary, the first complaint, calls, the log and the attachments, and no unmasked personal data', async () => {
    const res = await generate(agent, {});
    expect(res.statusCode).toBe(201);
    const [pack] = res.json().evidencePacks;
    expect(pack).toMatchObject({ masked: true, generatedBy: { id: agent.actor.id } });
    expect(pack.contents).toMatchObject({ calls: 1, attachments: 1, linkedTickets: 1 });
    const zip = await download(agent, pack.id);
    const names = Object.keys(zip.files);
    expect(names).toEqual(expect.arrayContaining(['summary.pdf', 'summary.json', 'manifest.json']));
    expect(names.some((n) => /^attachments\/.+-账单\.txt$/.test(n))).toBe(true);
    const pdf = await zip.file('summary.pdf')!.async('nodebuffer');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const summary = JSON.parse(await zip.file('summary.json')!.async('string'));
    expect(summary.sections.map((s: { heading: string }) => s.heading)).toEqual([
      '案件 Case',
      '时间线 Timeline',
      '沟通记录 Messages',
      '通话记录 Call records',
      '处理日志 Handling log',
      '首次投诉 First complaint',
      '答复 Reply to the regulator',
      '附件 Attachments',
    ]);
    const all = JSON.stringify(summary);
    expect(all).toContain(complaintNumber);
    expect(all).toContain('regulator_case');
    expect(all).toContain(`${msisdn.slice(0, 3)}****${msisdn.slice(-4)}`);
    for (const name of ['summary.json', 'manifest.json']) {
      const text = await zip.file(name)!.async('string');
      expect(text).not.toContain(msisdn);
      expect(text).not.toContain(idNumber);
      expect(text).not.toContain('体育西路');
      expect(text).not.toContain('陈大文');
    }
    const raw = pdf.toString('latin1');
    expect(raw).not.toContain(msisdn);
  });

  it('puts full personal data in a pack only for someone who may reveal it, with a reason in the access log', async () => {
    const noReason = await generate(supervisor, { masked: false });
    expect([noReason.statusCode, noReason.json().error.code]).toEqual([400, 'regulator.reason_required']);
    const qa = await h.signIn('qa');
    expect((await generate(qa, { masked: false, reason: '监管要求' })).statusCode).toBe(403);
    const res = await generate(supervisor, { masked: false, reason: '通管局要求提供完整材料' });
    expect(res.statusCode).toBe(201);
    const packs = res.json().evidencePacks;
    expect(packs).toHaveLength(2);
    expect(packs[0]).toMatchObject({ masked: false, generatedBy: { id: supervisor.actor.id } });
    const summary = await (await download(supervisor, packs[0].id)).file('summary.json')!.async('string');
    expect(summary).toContain(msisdn);
    expect(summary).toContain(idNumber);
    const log = await h.database.db.select().from(piiAccessLog).where(eq(piiAccessLog.staffId, supervisor.actor.id));
    expect(log.map((l) => l.field).sort()).toEqual(['address', 'id_number', 'phone']);
    expect(log[0]!.reason).toContain('通管局要求提供完整材料');
  });

  it('keeps packs on the case for people who may read it, and hides them from others', async () => {
    const detail = await h.request(agent, { method: 'GET', url: `/api/v1/regulator/referrals/${referralId}` });
    const packId = detail.json().evidencePacks[0].id;
    const department = await h.signIn('department');
    const res = await h.request(department, { method: 'GET', url: `/api/v1/regulator/evidence-packs/${packId}` });
    expect(res.statusCode).toBe(404);
  });
});
