import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';

// Walks every route the app registers and proves who may call it: the staff API needs a staff
// session (and its CSRF token on writes), the portal API a portal session, the channel webhooks a
// signature. Only the routes listed here answer without one. A route added outside those scopes
// (or to this list without thought) fails this test.

const PUBLIC_ROUTES = [
  'POST /api/v1/auth/login',
  'POST /api/portal/v1/codes',
  'POST /api/portal/v1/session',
  'POST /api/portal/v1/link',
  // The satisfaction survey behind a one-time link (the token is the credential).
  'GET /api/portal/v1/surveys/:token',
  'HEAD /api/portal/v1/surveys/:token',
  'POST /api/portal/v1/surveys/:token',
  // The FAQ: public articles, and anonymous "was this helpful?" answers and deflections (rate-limited per address).
  'GET /api/portal/v1/faq',
  'HEAD /api/portal/v1/faq',
  'GET /api/portal/v1/faq/:id',
  'HEAD /api/portal/v1/faq/:id',
  'POST /api/portal/v1/faq/:id/feedback',
  'POST /api/portal/v1/faq/:id/deflection',
  'GET /api/openapi.json',
  'HEAD /api/openapi.json',
  // Starting a live chat (anonymous allowed, rate-limited per address); it returns the conversation token.
  'POST /api/chat/v1/conversations',
];
/** The interactive API docs (swagger-ui and its assets): reading only. */
const isDocs = (method: string, url: string) =>
  (method === 'GET' || method === 'HEAD') && (url === '/api/docs' || url.startsWith('/api/docs/'));
/** Outside /api: liveness, readiness and the built web app's files. */
const WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));
const isHealthOrWebFile = (method: string, url: string) =>
  (method === 'GET' || method === 'HEAD') &&
  (url === '/healthz' || url === '/readyz' || existsSync(`${WEB_ROOT}${url.endsWith('/') ? `${url}index.html` : url}`));
const SIGNED_WEBHOOKS = [
  'POST /api/v1/channels/:channel/messages',
  'POST /api/v1/channels/hotline/calls',
  'POST /api/v1/channels/:channel/chat/messages',
  'POST /api/v1/channels/:channel/chat/poll',
];
/** The customer's live chat: the conversation token is the credential. */
const isChat = (url: string) => url.startsWith('/api/chat/v1/');

const SAMPLE_PARAMS: Record<string, string> = { channel: 'wechat', callId: 'call-1' };
const fill = (url: string) =>
  url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => SAMPLE_PARAMS[name] ?? '0193a1b2-0000-7000-8000-000000000001');
const isWrite = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

describe('routes scoped by who may call them', () => {
  let h: Harness;
  let agent: Session;
  let routes: { method: string; url: string; key: string }[];
  beforeAll(async () => {
    h = await startHarness('pglite');
    agent = await h.signIn('agent');
    await h.app.ready();
    routes = h.app.registeredRoutes().map((r) => ({ ...r, key: `${r.method} ${r.url}` }));
  });
  afterAll(() => h?.close());

  const call = (method: string, url: string, headers: Record<string, string> = {}) =>
    h.app.inject({
      method: method as 'GET',
      url: fill(url),
      headers: isWrite(method) ? { 'content-type': 'application/json', ...headers } : headers,
      ...(isWrite(method) ? { payload: '{}' } : {}),
    });

  const guarded = () =>
    routes.filter(
      (r) => !PUBLIC_ROUTES.includes(r.key) && !isDocs(r.method, r.url) && !isHealthOrWebFile(r.method, r.url),
    );

  it('answers 401 on every route without a session or signature, except the public list', async () => {
    const failures: string[] = [];
    const walked = guarded();
    for (const { method, url, key } of walked) {
      const res = await call(method, url);
      const expected = SIGNED_WEBHOOKS.includes(key)
        ? 'webhook.bad_signature'
        : isChat(url)
          ? 'chat.token_invalid'
          : 'auth.required';
      const code = method === 'HEAD' ? expected : (res.json<{ error?: { code?: string } }>().error?.code ?? res.body);
      if (res.statusCode !== 401 || code !== expected) failures.push(`${key} → ${res.statusCode} ${code}`);
    }
    expect(failures).toEqual([]);
    // Every route is either walked or public; the walk covers the whole staff and portal API.
    expect(
      walked.every((r) => r.url.startsWith('/api/v1/') || r.url.startsWith('/api/portal/v1/') || isChat(r.url)),
    ).toBe(true);
    expect(walked.length).toBeGreaterThan(100);
    expect(walked.map((r) => r.key)).toEqual(
      expect.arrayContaining(['GET /api/v1/tickets', 'POST /api/v1/tickets', 'GET /api/v1/events', ...SIGNED_WEBHOOKS]),
    );
  });

  it('serves the icon that the desk and the portal name, without a session', async () => {
    for (const page of ['/', '/portal/']) expect((await call('GET', page)).body).toContain('href="/favicon.svg"');
    const icon = await call('GET', '/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('lists every public route it allows, and each of them exists', () => {
    const keys = routes.map((r) => r.key);
    expect(keys).toEqual(expect.arrayContaining(PUBLIC_ROUTES));
    expect(keys).toEqual(expect.arrayContaining(['GET /healthz', 'GET /readyz', 'GET /api/docs']));
  });

  it('refuses every staff write made with a session but without its CSRF token', async () => {
    const failures: string[] = [];
    const staffWrites = guarded().filter(
      (r) => isWrite(r.method) && r.url.startsWith('/api/v1/') && !SIGNED_WEBHOOKS.includes(r.key),
    );
    expect(staffWrites.length).toBeGreaterThan(30);
    for (const { method, url, key } of staffWrites) {
      const res = await call(method, url, { cookie: agent.cookie });
      const code = res.json<{ error?: { code?: string } }>().error?.code;
      if (res.statusCode !== 403 || code !== 'auth.csrf_token_invalid')
        failures.push(`${key} → ${res.statusCode} ${code}`);
    }
    expect(failures).toEqual([]);
  });

  it('opens no portal route to a staff session and no staff route to a customer', async () => {
    const phone = String(18_700_000_000 + Math.floor(Math.random() * 1e6));
    expect((await h.app.inject({ method: 'POST', url: '/api/portal/v1/codes', payload: { phone } })).statusCode).toBe(
      202,
    );
    const [sms] = await queryRows<{ payload: { text?: string } }>(
      h.database.db,
      sql`SELECT payload FROM outbox WHERE recipient = ${phone} ORDER BY created_at DESC LIMIT 1`,
    );
    const code = /(\d{6})/.exec(sms?.payload.text ?? '')![1]!;
    const signedIn = await h.app.inject({ method: 'POST', url: '/api/portal/v1/session', payload: { phone, code } });
    expect(signedIn.statusCode).toBe(200);
    const customerCookie = `loopdesk_portal=${signedIn.cookies.find((c) => c.name === 'loopdesk_portal')!.value}`;

    const asCustomer = await h.app.inject({
      method: 'GET',
      url: '/api/v1/tickets',
      headers: { cookie: customerCookie },
    });
    expect(asCustomer.statusCode).toBe(401);
    const asStaff = await h.app.inject({
      method: 'GET',
      url: '/api/portal/v1/tickets',
      headers: { cookie: agent.cookie },
    });
    expect(asStaff.statusCode).toBe(401);
    const mine = await h.app.inject({
      method: 'GET',
      url: '/api/portal/v1/tickets',
      headers: { cookie: customerCookie },
    });
    expect(mine.statusCode).toBe(200);
  });
});
