import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffAbilities } from '../../core/auth/abilities.js';
import { LoginBody, SessionView } from '../../contracts/auth.js';
import { ErrorResponse } from '../../contracts/common.js';
import { login, logout } from '../../usecases/auth/sessions.js';
import { requireActor, SESSION_COOKIE } from '../auth.js';
import { callbackTeamId } from '../../db/reference-data.js';
import type { RouteDeps } from './route-deps.js';
import { networkOpsTeamId } from '../../usecases/incidents/incident-access.js';

const sessionBody = (
  s: {
    staff: {
      id: string;
      username: string;
      displayName: string;
      role: z.infer<typeof SessionView>['staff']['role'];
      teamId: string | null;
      locale: string;
    };
    csrfToken: string;
    expiresAt: Date;
  },
  networkOpsTeamId: string | null,
  timeZone: string,
) => ({
  staff: {
    id: s.staff.id,
    username: s.staff.username,
    displayName: s.staff.displayName,
    role: s.staff.role,
    teamId: s.staff.teamId,
    locale: s.staff.locale,
    abilities: staffAbilities(
      { id: s.staff.id, role: s.staff.role, teamId: s.staff.teamId },
      { callbackTeamId, networkOpsTeamId },
    ),
  },
  csrfToken: s.csrfToken,
  expiresAt: s.expiresAt.toISOString(),
  timeZone,
});

/** Public: signing in needs no session. */
export function loginRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password; sets an httpOnly session cookie',
        security: [],
        body: LoginBody,
        response: { 200: SessionView, 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const s = await login(deps, { ...request.body, ip: request.ip }, deps.config.sessionHours);
      reply.setCookie(SESSION_COOKIE, s.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.cookieSecure,
        path: '/',
        // Relative, so a browser whose clock differs from the server's keeps it for the session.
        maxAge: deps.config.sessionHours * 3600,
      });
      return sessionBody(s, await networkOpsTeamId(deps.db), deps.timeZone);
    },
  );
}

/** Staff scope: the session itself, and signing out. */
export function sessionRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in staff member and the CSRF token',
        response: { 200: SessionView, 401: ErrorResponse },
      },
    },
    async (request) => {
      requireActor(request);
      return sessionBody(request.session!, await networkOpsTeamId(deps.db), deps.timeZone);
    },
  );

  r.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out',
        response: { 204: z.null(), 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request, reply) => {
      requireActor(request);
      await logout(deps, request.cookies[SESSION_COOKIE]!);
      deps.sessions.forgetSession(request.cookies[SESSION_COOKIE]!);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
}
