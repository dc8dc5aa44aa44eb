import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../core/auth/policy.js';
import { AppError } from '../core/errors/app-error.js';
import { findSession } from '../usecases/auth/sessions.js';
import type { Deps } from '../usecases/deps.js';
import type { SessionCache } from './session-cache.js';

export const SESSION_COOKIE = 'loopdesk_session';
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    session: Awaited<ReturnType<typeof findSession>>;
  }
}

export const csrfRefused = (hint: string) =>
  new AppError('auth.csrf_token_invalid', `Missing or wrong X-CSRF-Token header; ${hint}`);

/**
 * The staff API's one authentication hook, for every route of the scope it is added to: a staff
 * session cookie, and on every write the session's CSRF token in X-CSRF-Token (a cross-site form
 * can send the cookie but cannot read the token). Checked before the body is read or validated, so
 * a caller without a session learns nothing about the route.
 */
export function requireStaffSession(scope: FastifyInstance, deps: Deps & { sessions: SessionCache }): void {
  scope.decorateRequest('session', null);
  scope.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    request.session = token ? await deps.sessions.find(deps, token) : null;
    if (!request.session) throw new AppError('auth.required', 'Sign in first');
    if (!SAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== request.session.csrfToken)
      throw csrfRefused('reload the page and sign in again');
  });
}

/** The signed-in staff member (the scope's hook has made sure there is one). */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.session) throw new AppError('auth.required', 'Sign in first');
  return request.session.actor;
}
