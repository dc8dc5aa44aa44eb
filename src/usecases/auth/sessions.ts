import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import { AppError } from '../../core/errors/app-error.js';
import type { Clock } from '../../core/clock.js';
import type { Actor } from '../../core/auth/policy.js';
import type { Db } from '../../db/client.js';
import { prepared } from '../../db/prepared.js';
import { hitRateLimit, releaseRateLimits, type RateLimit } from '../../db/rate-limits.js';
import { loginAttempts, sessions, staff } from '../../db/schema.js';
import { verifyPassword } from './passwords.js';

export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Wrong passwords for one username from one address: then that address is paused for that user. */
export const MAX_FAILURES_PER_USER_AND_ADDRESS = 5;
/** Wrong passwords from one address, whatever the usernames. */
export const MAX_FAILURES_PER_ADDRESS = 30;
/**
 * Wrong passwords for one username from everywhere (a guesser with many addresses). Past it, the
 * username is paused for addresses it has not signed in from in the last 30 days, so the real
 * user at their usual desk is never locked out by someone else.
 */
export const MAX_FAILURES_PER_USER = 100;
const KNOWN_ADDRESS_MS = 30 * 86_400_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** A session's key in the database (and in a node's memory): the cookie's token is never kept. */
export const sessionTokenHash = sha256;
const token = () => randomBytes(32).toString('base64url');

export type SessionInfo = {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  staff: typeof staff.$inferSelect;
};

type Deps = { db: Db; clock: Clock };

/**
 * Every attempt takes a place in the database counters before its password is checked (one
 * atomic statement each, so parallel attempts and other nodes count too); a sign-in that succeeds
 * gives its places back. Usernames are compared case-insensitively.
 */
export async function login(
  deps: Deps,
  input: { username: string; password: string; ip: string },
  sessionHours: number,
): Promise<SessionInfo> {
  const now = deps.clock.now();
  const username = input.username.trim().toLowerCase();
  const limits: RateLimit[] = [
    {
      key: `login:user-address:${username}|${input.ip}`,
      max: MAX_FAILURES_PER_USER_AND_ADDRESS,
      windowMs: LOGIN_WINDOW_MS,
    },
    { key: `login:address:${input.ip}`, max: MAX_FAILURES_PER_ADDRESS, windowMs: LOGIN_WINDOW_MS },
    { key: `login:user:${username}`, max: MAX_FAILURES_PER_USER, windowMs: LOGIN_WINDOW_MS },
  ];
  const taken: string[] = [];
  for (const limit of limits) {
    const retryAfterSeconds = await hitRateLimit(deps.db, limit, now);
    if (
      retryAfterSeconds !== null &&
      !(limit.key.startsWith('login:user:') && (await knownAddress(deps, username, input.ip, now)))
    ) {
      throw new AppError('auth.rate_limited', 'Too many failed sign-in attempts; wait 15 minutes and try again', {
        retryAfterSeconds,
      });
    }
    taken.push(limit.key);
  }

  const [user] = await deps.db.select().from(staff).where(eq(staff.username, username));
  const ok = (await verifyPassword(user?.passwordHash, input.password)) && user?.active === true;
  await deps.db.insert(loginAttempts).values({ username, ip: input.ip, succeeded: ok, createdAt: now });
  if (!ok || !user) throw new AppError('auth.invalid_credentials', 'Wrong username or password');
  await releaseRateLimits(deps.db, taken);

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

/** Whether the username signed in from this address lately (its own desk, not a guesser's). */
async function knownAddress(deps: Deps, username: string, ip: string, now: Date): Promise<boolean> {
  const [row] = await deps.db
    .select({ id: loginAttempts.id })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.username, username),
        eq(loginAttempts.ip, ip),
        eq(loginAttempts.succeeded, true),
        gt(loginAttempts.createdAt, new Date(now.getTime() - KNOWN_ADDRESS_MS)),
      ),
    )
    .limit(1);
  return row !== undefined;
}

export async function findSession(
  deps: Deps,
  sessionToken: string,
): Promise<{
  actor: Actor;
  csrfToken: string;
  expiresAt: Date;
  /** The session's key: a sign-out announces it, so open event streams can end. */
  tokenHash: string;
  staff: typeof staff.$inferSelect;
} | null> {
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
    tokenHash: row.s.tokenHash,
    staff: row.u,
  };
}

export async function logout(deps: Deps, sessionToken: string): Promise<void> {
  await deps.db.delete(sessions).where(eq(sessions.tokenHash, sha256(sessionToken)));
}
