import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';

describe.each(ENGINES)('bad input on %s', (engine) => {
  let h: Harness;
  let agent: Session;
  beforeAll(async () => {
    h = await startHarness(engine, { attachmentMaxBytes: 64 * 1024 });
    agent = await h.signIn('agent');
  });
  afterAll(() => h?.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    h.request(agent, { method: 'POST', url, payload: payload as string, headers });

  it('reports every invalid field at once, with a machine-readable code', async () => {
    const res = await post('/api/v1/tickets', { type: 5, channel: 'fax', subject: '', customerId: 'not-a-uuid' });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('request.invalid');
    const paths = error.details.issues.map((i: { path: string[] }) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['type', 'channel', 'subject', 'description', 'customerId']));
    // Each issue says what is wrong as a code too, so the desk can say it in the reader's language.
    const codes = Object.fromEntries(
      error.details.issues.map((i: { path: string[]; code: string }) => [i.path.join('.'), i.code]),
    );
    expect(codes).toMatchObject({ subject: 'too_small', customerId: 'invalid_format', channel: 'invalid_value' });
  });

  it('rejects fields the caller may not set instead of silently accepting them', async () => {
    const res = await post('/api/v1/tickets', {
      type: 'inquiry',
      channel: 'web',
      subject: '咨询',
      description: '资费',
      customerId: await h.buildCustomer(),
      firstContactOwnerId: agent.actor.id,
      status: 'closed',
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error.details)).toContain('firstContactOwnerId');
  });

  it('answers an oversized body with 413', async () => {
    const res = await post('/api/v1/tickets', { type: 'inquiry', description: 'x'.repeat(1_100_000) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('request.body_too_large');
  });

  it('answers malformed JSON with 400 and an unsupported content type with 415', async () => {
    const broken = await post('/api/v1/tickets', '{"type":', { 'content-type': 'application/json' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('request.invalid');
    const xml = await post('/api/v1/tickets', '<ticket/>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
  });

  it('validates path ids, query filters and cursors', async () => {
    const get = (url: string) => h.request(agent, { method: 'GET', url });
    expect((await get('/api/v1/tickets/123')).statusCode).toBe(400);
    expect((await get('/api/v1/tickets?status=lost')).statusCode).toBe(400);
    expect((await get('/api/v1/tickets?sort=password')).statusCode).toBe(400);
    expect((await get('/api/v1/tickets?limit=100000')).statusCode).toBe(400);
    const cursor = await get('/api/v1/tickets?cursor=garbage');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().error.details.field).toBe('cursor');
  });

  it('treats filter values as data, never as SQL', async () => {
    const res = await h.request(agent, {
      method: 'GET',
      url: `/api/v1/tickets?q=${encodeURIComponent("'; DROP TABLE tickets; --")}`,
    });
    expect(res.statusCode).toBe(200);
    expect((await h.request(agent, { method: 'GET', url: '/api/v1/tickets?limit=1' })).statusCode).toBe(200);
  });

  it('refuses a category that belongs to another ticket type', async () => {
    const categories = (await h.request(agent, { method: 'GET', url: '/api/v1/categories' })).json().items;
    const complaintCategory = categories.find((c: { code: string }) => c.code === 'complaint-billing');
    const res = await post('/api/v1/tickets', {
      type: 'inquiry',
      channel: 'web',
      subject: '咨询',
      description: '资费',
      customerId: await h.buildCustomer(),
      categoryId: complaintCategory.id,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('ticket.category_type_mismatch');
  });

  it('refuses a ticket for a customer that does not exist with 422, not 500', async () => {
    const res = await post('/api/v1/tickets', {
      type: 'inquiry',
      channel: 'web',
      subject: '咨询',
      description: '资费',
      customerId: '0190b7a6-0000-7000-8000-000000000000',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'ticket.unknown_reference', details: { field: 'customerId' } });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await h.request(agent, { method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('resource.not_found');
  });
});
