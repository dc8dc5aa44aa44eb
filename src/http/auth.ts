import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../core/auth/policy.js';
import { AppError } from '../core/errors/app-error.js';
import { findSession } from '../usecases/auth/sessions.js';
import type { Deps } from '../usecases/deps.js';

export const SESSION_COOKIE = 'loopdesk_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    session: Awaited<ReturnType<typeof findSession>>;
  }
  interface FastifyContextConfig {
    /** Routes that take no session (sign-in) skip the CSRF check. */
    skipCsrf?: boolean;
  }
}

/**
 * Cookie sessions. Every write made with a session cookie must also carry the session's CSRF
 * token in X-CSRF-Token: a cross-site form can send the cookie but cannot read the token.
 */
export function registerAuth(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.session = await findSession(deps, token);
  });
  app.addHook('preHandler', async (request) => {
    if (!request.session || SAFE_METHODS.has(request.method) || request.routeOptions.config.skipCsrf) return;
    if (request.headers['x-csrf-token'] !== request.session.csrfToken) {
      throw new AppError(
        'auth.csrf_token_invalid',
        'Missing or wrong X-CSRF-Token header; reload the page and sign in again',
      );
    }
  });
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.session) throw new AppError('auth.required', 'Sign in first');
  return request.session.actor;
}
