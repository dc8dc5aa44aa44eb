import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';

// A fuzz walk over the main write and search endpoints: every text field gets characters
// PostgreSQL cannot store (NUL), UTF-16 that is not text (lone surrogates, which JSON columns
// refuse), and strings far past any limit; upload endpoints get cut-off multipart bodies. Each
// answer must be a 4xx in the error shape, never a 500.

const ODD_TEXT = {
  nul: 'before\u0000after',
  'lone high surrogate': '\ud800',
  'lone low surrogate': 'x\udc00y',
  'reversed pair': '\udc00\ud800',
} as const;
const LONG = 'x'.repeat(120_000);

/** Percent-encodes, writing a lone surrogate as the UTF-8 bytes it would have (which are not UTF-8). */
const encode = (s: string) =>
  [...s].map((ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');

type Target = { name: string; send: (text: string) => Promise<LightMyRequestResponse> };

describe.each(ENGINES)('odd input on %s', (engine) => {
  let h: Harness;
  let agent: Session;
  let admin: Session;
  let ticketId: string;
  let portal: { cookie: string; csrf: string };
  const targets: Target[] = [];

  beforeAll(async () => {
    h = await startHarness(engine);
    const team = await h.buildTeam();
    agent = await h.signIn('agent', team);
    admin = await h.signIn('admin');
    const customerId = await h.buildCustomer();
    ticketId = await h.buildTicket(agent.actor, { customerId });
    const version = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}` })).json().version;

    const phone = String(18_800_000_000 + Math.floor(Math.random() * 1e6));
    await h.app.inject({ method: 'POST', url: '/api/portal/v1/codes', payload: { phone } });
    const [sms] = await queryRows<{ payload: { text: string } }>(
      h.database.db,
      sql`SELECT payload FROM outbox WHERE recipient = ${phone} ORDER BY created_at DESC LIMIT 1`,
    );
    const code = /验证码 (\d{6})/.exec(sms!.payload.text)![1]!;
    const signedIn = await h.app.inject({ method: 'POST', url: '/api/portal/v1/session', payload: { phone, code } });
    portal = {
      cookie: `loopdesk_portal=${signedIn.cookies.find((c) => c.name === 'loopdesk_portal')!.value}`,
      csrf: signedIn.json().csrfToken,
    };

    const json = (session: Session, method: 'POST' | 'PATCH' | 'PUT', url: string) => (payload: object) =>
      h.request(session, { method, url, payload });
    const createTicket = json(agent, 'POST', '/api/v1/tickets');
    const ticket = { type: 'fault', channel: 'hotline', subject: '宽带掉线', description: '每天掉线', customerId };
    const rule = { id: 'fuzz', name: '测试', when: { keywords: ['宽带'] }, then: {} };
    const portalSubmit = (payload: object) =>
      h.app.inject({
        method: 'POST',
        url: '/api/portal/v1/tickets',
        payload,
        headers: { cookie: portal.cookie, 'x-csrf-token': portal.csrf },
      });
    const get = (url: string) => h.request(agent, { method: 'GET', url });

    targets.push(
      { name: 'ticket create: subject', send: (s) => createTicket({ ...ticket, subject: s }) },
      { name: 'ticket create: description', send: (s) => createTicket({ ...ticket, description: s }) },
      { name: 'ticket create: tag', send: (s) => createTicket({ ...ticket, tags: [s] }) },
      {
        name: 'ticket create: fault location (JSON column)',
        send: (s) => createTicket({ ...ticket, details: { location: s } }),
      },
      {
        name: 'ticket update: subject',
        send: (s) => json(agent, 'PATCH', `/api/v1/tickets/${ticketId}`)({ subject: s, version }),
      },
      {
        name: 'ticket update: description',
        send: (s) => json(agent, 'PATCH', `/api/v1/tickets/${ticketId}`)({ description: s, version }),
      },
      {
        name: 'ticket message: body',
        send: (s) => json(agent, 'POST', `/api/v1/tickets/${ticketId}/messages`)({ visibility: 'internal', body: s }),
      },
      { name: 'ticket search: q', send: (s) => get(`/api/v1/tickets?q=${encode(s)}`) },
      { name: 'customer search: q', send: (s) => get(`/api/v1/customers?q=${encode(s)}`) },
      {
        name: 'saved view: name',
        send: (s) => json(agent, 'POST', '/api/v1/saved-views')({ name: s, filters: {} }),
      },
      {
        name: 'saved view: filter q (JSON column)',
        send: (s) => json(agent, 'POST', '/api/v1/saved-views')({ name: '视图', filters: { q: s } }),
      },
      {
        name: 'portal submit: description',
        send: (s) => portalSubmit({ type: 'complaint', description: `营业厅态度差 ${s}` }),
      },
      {
        name: 'routing rules: name (JSON column)',
        send: (s) => json(admin, 'PUT', '/api/v1/routing/rules')({ rules: [{ ...rule, name: s }] }),
      },
      {
        name: 'routing rules: keyword (JSON column)',
        send: (s) => json(admin, 'PUT', '/api/v1/routing/rules')({ rules: [{ ...rule, when: { keywords: [s] } }] }),
      },
      {
        name: 'routing dry run: subject',
        send: (s) => json(admin, 'POST', '/api/v1/routing/dry-run')({ type: 'fault', subject: s }),
      },
    );
  });
  afterAll(() => h?.close());

  const expectClear4xx = (res: LightMyRequestResponse, what: string) => {
    expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    const { error } = res.json();
    expect(typeof error.code, what).toBe('string');
    expect(typeof error.message, what).toBe('string');
  };

  it('refuses NUL and lone surrogates in every text field and query with 400 request.invalid_text', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const target of targets) {
      for (const [kind, text] of Object.entries(ODD_TEXT)) {
        const res = await target.send(text);
        sent++;
        const what = `${target.name} with ${kind}`;
        // In an address a lone surrogate can only be sent as bytes that are not UTF-8, which are
        // decoded as U+FFFD: harmless text, so any answer but a 5xx will do.
        if (target.name.includes('search') && kind !== 'nul') {
          if (res.statusCode >= 500) failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 120)}`);
          continue;
        }
        if (res.statusCode !== 400 || res.json().error?.code !== 'request.invalid_text')
          failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(sent).toBe(targets.length * Object.keys(ODD_TEXT).length);
    expect(failures).toEqual([]);
  });

  it('says which field holds the character', async () => {
    const res = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { type: 'fault', details: { location: 'a\u0000' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'request.invalid_text',
      details: { issues: [{ in: 'body', path: ['details', 'location'] }] },
    });
  });

  it('answers strings far past every limit with a 4xx', async () => {
    for (const target of targets) expectClear4xx(await target.send(LONG), `${target.name} with a long string`);
  });

  it('answers cut-off and odd multipart uploads with a 4xx', async () => {
    const boundary = 'loopdeskfuzz';
    const head = (filename: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`;
    const bodies: Record<string, string> = {
      'cut in the part headers': `--${boundary}\r\nContent-Disposition: form-data; na`,
      'cut after the part headers': head('a.txt'),
      'cut in the file': `${head('a.txt')}hello wor`,
      'cut before the closing boundary': `${head('a.txt')}hello world\r\n--${boundary}`,
      'NUL in the file name': `${head('a\u0000.txt')}hello\r\n--${boundary}--\r\n`,
      'no parts at all': `--${boundary}--\r\n`,
    };
    const upload = (url: string, headers: Record<string, string>, payload: string) =>
      h.app.inject({
        method: 'POST',
        url,
        payload,
        headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
    for (const [name, payload] of Object.entries(bodies)) {
      expectClear4xx(
        await upload(
          `/api/v1/tickets/${ticketId}/attachments`,
          { cookie: agent.cookie, 'x-csrf-token': agent.csrf },
          payload,
        ),
        `desk upload, ${name}`,
      );
    }
  });
});
