import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';

function multipart(fileName: string, contentType: string, content: Buffer) {
  const boundary = '----loopdesk-test-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head, 'utf8'), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe.each(ENGINES)('attachments on %s', (engine) => {
  let h: Harness;
  let agent: Session;
  let ticketId: string;
  beforeAll(async () => {
    h = await startHarness(engine, { attachmentMaxBytes: 64 * 1024 });
    agent = await h.signIn('agent');
    ticketId = await h.buildTicket(agent.actor);
  });
  afterAll(() => h?.close());

  const upload = (name: string, type: string, content: Buffer, session = agent) =>
    h.request(session, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/attachments`,
      ...multipart(name, type, content),
    });

  it('stores a file with a Chinese name and serves it back byte for byte', async () => {
    const content = Buffer.from('%PDF-1.4 账单截图');
    const res = await upload('话费账单.pdf', 'application/pdf', content);
    expect(res.statusCode, res.body).toBe(201);
    const attachment = res.json();
    expect(attachment).toMatchObject({ fileName: '话费账单.pdf', size: content.length });
    const download = await h.request(agent, { method: 'GET', url: `/api/v1/attachments/${attachment.id}` });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(content)).toBe(true);
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('话费账单.pdf')}`);
    const list = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments` })).json();
    expect(list.items.map((a: { id: string }) => a.id)).toContain(attachment.id);
  });

  it('masks numbers in a file name for a QA inspector, who may not reveal personal data', async () => {
    const res = await upload('身份证110101199003071234.jpg', 'image/jpeg', Buffer.from([0xff, 0xd8, 0xff]));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().fileName).toBe('身份证110101199003071234.jpg');
    const qa = await h.signIn('qa', agent.actor.teamId);
    const list = await h.request(qa, { method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments` });
    expect(list.statusCode, list.body).toBe(200);
    const names = list.json().items.map((a: { fileName: string }) => a.fileName);
    expect(names).toContain('身份证1101**********1234.jpg');
    expect(names.join()).not.toContain('110101199003071234');
  });

  it('refuses a file over the size limit with 413 and keeps nothing', async () => {
    const res = await upload('big.png', 'image/png', Buffer.alloc(64 * 1024 + 10));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('attachment.too_large');
    const list = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments` })).json();
    expect(list.items.some((a: { fileName: string }) => a.fileName === 'big.png')).toBe(false);
  });

  it('refuses types that could run in a browser, such as HTML and SVG', async () => {
    for (const [name, type] of [
      ['x.html', 'text/html'],
      ['x.svg', 'image/svg+xml'],
      ['x.pdf.html', 'application/pdf'],
    ]) {
      const res = await upload(name!, type!, Buffer.from('<script>alert(1)</script>'));
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe('attachment.type_not_allowed');
    }
  });

  it('hides attachments of tickets the caller cannot read', async () => {
    const vipTeam = await h.buildTeam({ restricted: true });
    const vipAgent = await h.signIn('agent', vipTeam);
    const vipTicket = await h.buildTicket(vipAgent.actor);
    const res = await h.request(vipAgent, {
      method: 'POST',
      url: `/api/v1/tickets/${vipTicket}/attachments`,
      ...multipart('a.txt', 'text/plain', Buffer.from('hi')),
    });
    expect(res.statusCode).toBe(201);
    const download = await h.request(agent, { method: 'GET', url: `/api/v1/attachments/${res.json().id}` });
    expect(download.statusCode).toBe(404);
  });
});
