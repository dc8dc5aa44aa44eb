import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { RouteDeps } from './route-deps.js';

export function healthRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const hidden = { schema: { hide: true } };
  // Liveness: the process answers. Readiness: it can also reach its database.
  app.get('/healthz', hidden, async () => ({ status: 'ok' }));
  app.get('/readyz', hidden, async (_request, reply) => {
    try {
      await deps.db.execute(sql`SELECT 1`);
      return { status: 'ready' };
    } catch {
      return reply
        .status(503)
        .send({ status: 'unavailable', error: { code: 'db.unreachable', message: 'The database does not answer' } });
    }
  });
}
