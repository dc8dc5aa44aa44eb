import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('the OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite');
  });
  afterAll(() => h?.close());

  it('documents every /api/v1 operation with a summary, its request schema and its error answers', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      paths: Record<string, Record<string, { summary?: string; responses: Record<string, unknown> }>>;
    }>();
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(50);
    const undocumented = operations.filter(({ op }) => !op.summary).map((o) => `${o.method} ${o.path}`);
    expect(undocumented).toEqual([]);
    const withoutErrors = operations
      .filter(({ op }) => !op.responses['422'] && !op.responses['401'])
      .map((o) => `${o.method} ${o.path}`);
    expect(withoutErrors).toEqual([]);
    for (const path of [
      '/api/v1/routing/rules',
      '/api/v1/routing/dry-run',
      '/api/v1/tickets/{id}/escalate',
      '/api/v1/tickets/{id}/subtasks',
      '/api/v1/me/presence',
      '/api/v1/teams/{id}/assignment',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  it('names the portal, SLA and collaboration contracts as components, and marks the public sign-ins as needing no session', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      components: { schemas: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    }>();
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'PortalTicket',
        'PortalTicketCreate',
        'PortalSession',
        'SlaTarget',
        'SlaReport',
        'BusinessCalendar',
        'SlaPolicy',
        'Subtask',
        'SubtaskCreate',
        'TicketLink',
        'Escalate',
      ]),
    );
    for (const [path, method] of [
      ['/api/v1/auth/login', 'post'],
      ['/api/portal/v1/codes', 'post'],
      ['/api/portal/v1/session', 'post'],
      ['/api/portal/v1/link', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.security).toEqual([]);
    }
  });
});
