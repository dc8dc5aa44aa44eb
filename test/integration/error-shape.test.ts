import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';

// Every error a caller can cause, Fastify's and Node's own included, answers
// `{ "error": { "code", "message", "details"? } }` with a machine code: nothing in another shape.

type Answer = { status: number; headers: Record<string, string>; body: string };

/** Sends bytes exactly as given (inject() and fetch() would encode or refuse them first). */
function rawRequest(port: number, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.end(bytes);
  });
}

const expectErrorShape = (body: string, code: string) => {
  const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(parsed.error?.code).toBe(code);
  expect(typeof parsed.error?.message).toBe('string');
  return parsed.error as { code: string; message: string; details?: unknown };
};

describe('error answers in the documented shape', () => {
  let h: Harness;
  let agent: Session;
  let port: number;
  beforeAll(async () => {
    h = await startHarness('pglite');
    agent = await h.signIn('agent');
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as AddressInfo).port;
  });
  afterAll(() => h?.close());

  const raw = (requestLine: string, headers: string[] = []) =>
    rawRequest(
      port,
      Buffer.from(
        [requestLine, 'Host: localhost', `Cookie: ${agent.cookie}`, 'Connection: close', ...headers, '', ''].join(
          '\r\n',
        ),
        'utf8',
      ),
    );

  it("answers the README's search with unencoded Chinese in the address with 400 request.invalid saying to percent-encode", async () => {
    // What `curl -b jar 'localhost:3000/api/v1/tickets?q=宽带&limit=5'` sends: UTF-8 bytes in the
    // request line, which Node's HTTP parser refuses before any route runs.
    const res = await raw('GET /api/v1/tickets?q=宽带&limit=5 HTTP/1.1');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const error = expectErrorShape(res.body, 'request.invalid');
    expect(error.message).toMatch(/percent-encode/);
  });

  it("finds tickets for the README's search when the words are percent-encoded, as curl -G --data-urlencode sends them", async () => {
    await h.buildTicket(agent.actor, { subject: '宽带无法上网' });
    const res = await raw(`GET /api/v1/tickets?q=${encodeURIComponent('宽带')}&limit=5 HTTP/1.1`);
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it('answers a request Node cannot parse (unknown method, broken header) with 400 request.invalid', async () => {
    expectErrorShape((await raw('BREW /api/v1/tickets HTTP/1.1')).body, 'request.invalid');
    const broken = await raw('GET /api/v1/tickets HTTP/1.1', ['Content-Length: abc']);
    expect(broken.status).toBe(400);
    expectErrorShape(broken.body, 'request.invalid');
  });

  it('answers oversized request headers with 431 request.headers_too_large', async () => {
    const res = await raw('GET /api/v1/tickets HTTP/1.1', [`X-Padding: ${'a'.repeat(20_000)}`]);
    expect(res.status).toBe(431);
    expectErrorShape(res.body, 'request.headers_too_large');
  });

  it('answers a malformed percent-escape in the path with 400 request.invalid', async () => {
    const res = await h.request(agent, { method: 'GET', url: '/api/v1/tickets/%E5%' });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.body, 'request.invalid');
  });

  it('answers a path parameter longer than the router allows with 414 request.url_too_long', async () => {
    const res = await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${'a'.repeat(200)}` });
    expect(res.statusCode).toBe(414);
    expectErrorShape(res.body, 'request.url_too_long');
  });

  it('answers a method the path does not take with 405 request.method_not_allowed and the methods it does take', async () => {
    const res = await h.request(agent, { method: 'DELETE', url: '/api/v1/tickets' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    const error = expectErrorShape(res.body, 'request.method_not_allowed');
    expect(error.details).toEqual({ allow: ['GET', 'HEAD', 'POST'] });
    const withParams = await h.request(agent, { method: 'PUT', url: `/api/v1/tickets/${agent.actor.id}/messages` });
    expect(withParams.statusCode).toBe(405);
    expect(withParams.headers.allow).toBe('GET, HEAD, POST');
  });

  it("answers Fastify's own refusals (no route, media type, body size, JSON, validation) in the shape", async () => {
    const post = (payload: string, contentType: string) =>
      h.request(agent, { method: 'POST', url: '/api/v1/tickets', payload, headers: { 'content-type': contentType } });
    const cases: [Promise<{ statusCode: number; body: string }>, number, string][] = [
      [h.request(agent, { method: 'GET', url: '/api/v1/nothing-here' }), 404, 'resource.not_found'],
      [post('<ticket/>', 'application/xml'), 415, 'request.unsupported_media_type'],
      [post(JSON.stringify({ description: 'x'.repeat(1_100_000) }), 'application/json'), 413, 'request.body_too_large'],
      [post('{"type":', 'application/json'), 400, 'request.invalid'],
      [post('', 'application/json'), 400, 'request.invalid'],
      [h.request(agent, { method: 'GET', url: '/api/v1/tickets?colour=red' }), 400, 'request.invalid'],
      [h.request(null, { method: 'GET', url: '/api/v1/tickets' }), 401, 'auth.required'],
    ];
    for (const [pending, status, code] of cases) {
      const res = await pending;
      expect(res.statusCode).toBe(status);
      expectErrorShape(res.body, code);
    }
  });
});
