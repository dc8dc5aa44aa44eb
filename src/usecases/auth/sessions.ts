import { createHash, randomBytes } from 'node:crypto';
import { and, count, eq, gt, sql } from 'drizzle-orm';
import { AppError } from '../../core/errors/app-error.js';
import type { Clock } from '../../core/clock.js';
import type { Actor } from '../../core/auth/policy.js';
import type { Db } from '../../db/client.js';
import { prepared } from '../../db/prepared.js';
import { loginAttempts, sessions, staff } from '../../db/schema.js';
import { verifyPassword } from './passwords.js';

export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_USER = 5;
export const MAX_FAILURES_PER_IP = 30;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = () => randomBytes(32).toString('base64url');

export type SessionInfo = {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  staff: typeof staff.$inferSelect;
};

type Deps = { db: Db; clock: Clock };

/**
 * Failed attempts are counted in the database, so the limit holds across all app nodes.
 * Usernames are compared case-insensitively.
 */
export async function login(
  deps: Deps,
  input: { username: string; password: string; ip: string },
  sessionHours: number,
): Promise<SessionInfo> {
  const now = deps.clock.now();
  const username = input.username.trim().toLowerCase();
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const failures = async (cond: ReturnType<typeof eq>) =>
    (
      await deps.db
        .select({ n: count() })
        .from(loginAttempts)
        .where(and(cond, eq(loginAttempts.succeeded, false), gt(loginAttempts.createdAt, since)))
    )[0]?.n ?? 0;
  if (
    (await failures(eq(loginAttempts.username, username))) >= MAX_FAILURES_PER_USER ||
    (await failures(eq(loginAttempts.ip, input.ip))) >= MAX_FAILURES_PER_IP
  ) {
    throw new AppError('auth.rate_limited', 'Too many failed sign-in attempts; wait 15 minutes and try again');
  }

  const [user] = await deps.db.select().from(staff).where(eq(staff.username, username));
  const ok = (await verifyPassword(user?.passwordHash, input.password)) && user?.active === true;
  await deps.db.insert(loginAttempts).values({ username, ip: input.ip, succeeded: ok, createdAt: now });
  if (!ok || !user) throw new AppError('auth.invalid_credentials', 'Wrong username or password');

  const session = { token: token(), csrfToken: token(), expiresAt: new Date(now.getTime() + sessionHours * 3_600_000) };
  await deps.db.insert(sessions).values({
    tokenHash: sha256(session.token),
    staffId: user.id,
    csrfToken: session.csrfToken,
    createdAt: now,
    expiresAt: session.expiresAt,
  });
  return { ...session, staff: user };
}

export async function findSession(
  deps: Deps,
  sessionToken: string,
): Promise<{ actor: Actor; csrfToken: string; expiresAt: Date; staff: typeof staff.$inferSelect } | null> {
  const [row] = await prepared(deps.db, 'session_by_token', (db) =>
    db
      .select({ s: sessions, u: staff })
      .from(sessions)
      .innerJoin(staff, eq(staff.id, sessions.staffId))
      .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), gt(sessions.expiresAt, sql.placeholder('now'))))
      .prepare('session_by_token'),
  ).execute({ tokenHash: sha256(sessionToken), now: deps.clock.now() });
  if (!row || !row.u.active) return null;
  return {
    actor: { id: row.u.id, role: row.u.role, teamId: row.u.teamId },
    csrfToken: row.s.csrfToken,
    expiresAt: row.s.expiresAt,
    staff: row.u,
  };
}

export async function logout(deps: Deps, sessionToken: string): Promise<void> {
  await deps.db.delete(sessions).where(eq(sessions.tokenHash, sha256(sessionToken)));
}
