import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../core/errors/app-error.js';
import type { Db, Tx } from '../../db/client.js';
import { hitRateLimit } from '../../db/rate-limits.js';
import { appSecrets, outbox, portalCodes, portalSessions, tickets } from '../../db/schema.js';
import { normaliseMsisdn } from '../customers/customers.js';
import { findOrCreateCustomer } from '../customers/find-or-create-customer.js';
import type { Deps } from '../deps.js';

// Customers sign in to the portal with their phone number and a one-time code sent by SMS, or
// follow a signed link that comes with each notification (good for that one ticket only).

const CODE_TTL_MS = 5 * 60_000;
const SESSION_TTL_MS = 2 * 3_600_000;
const LINK_TTL_MS = 7 * 86_400_000;
const MAX_CODE_ATTEMPTS = 5;
/** At most one code a minute and five an hour per number, twenty an hour per address. */
const LIMITS = { perNumberMinute: 1, perNumberHour: 5, perIpHour: 20 };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = () => randomBytes(32).toString('base64url');

export type PortalSession = {
  customerId: string;
  msisdn: string | null;
  scopeTicketId: string | null;
  csrfToken: string;
};

/** Sends a code to the number (through the SMS outbox); in development the log sender prints it. */
export async function requestCode(deps: Deps, input: { msisdn: string; ip: string }): Promise<void> {
  const msisdn = normaliseMsisdn(input.msisdn);
  const now = deps.clock.now();
  // Counted in the database before anything is sent, one atomic statement per limit, so parallel
  // requests (or several nodes) cannot each see "no code yet" and each send one.
  const minute = await hitRateLimit(
    deps.db,
    { key: `portal-code:number-minute:${msisdn}`, max: LIMITS.perNumberMinute, windowMs: 60_000 },
    now,
  );
  if (minute !== null)
    throw new AppError('auth.rate_limited', 'A code was sent less than a minute ago; please wait before asking again', {
      retryAfterSeconds: minute,
    });
  const hour =
    (await hitRateLimit(
      deps.db,
      { key: `portal-code:number-hour:${msisdn}`, max: LIMITS.perNumberHour, windowMs: 3_600_000 },
      now,
    )) ??
    (await hitRateLimit(
      deps.db,
      { key: `portal-code:address-hour:${input.ip}`, max: LIMITS.perIpHour, windowMs: 3_600_000 },
      now,
    ));
  if (hour !== null) {
    throw new AppError('auth.rate_limited', 'Too many codes requested; try again in an hour', {
      retryAfterSeconds: hour,
    });
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await deps.db.transaction(async (tx) => {
    await tx.insert(portalCodes).values({
      id: uuidv7(),
      msisdn,
      codeHash: sha256(`${msisdn}:${code}`),
      requestIp: input.ip,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
    });
    await tx.insert(outbox).values({
      id: uuidv7(),
      channel: 'sms',
      recipient: msisdn,
      payload: { kind: 'portal_code', text: `【Loopdesk】验证码 ${code}，5 分钟内有效。Your code is ${code}.` },
      nextAttemptAt: now,
      createdAt: now,
    });
  });
}

/** Checks the latest code for the number; on success opens a session for the number's customer (a new profile for a new number). */
export async function verifyCode(deps: Deps, input: { msisdn: string; code: string }) {
  const msisdn = normaliseMsisdn(input.msisdn);
  const now = deps.clock.now();
  return deps.db
    .transaction(async (tx) => {
      const [latest] = await tx
        .select()
        .from(portalCodes)
        .where(and(eq(portalCodes.msisdn, msisdn), isNull(portalCodes.usedAt), gt(portalCodes.expiresAt, now)))
        .orderBy(desc(portalCodes.createdAt))
        .limit(1)
        .for('update');
      const wrong = new AppError('auth.invalid_credentials', 'The code is wrong or has expired; ask for a new one');
      if (!latest || latest.attempts >= MAX_CODE_ATTEMPTS) throw wrong;
      const ok = timingSafeEqual(Buffer.from(latest.codeHash), Buffer.from(sha256(`${msisdn}:${input.code}`)));
      await tx
        .update(portalCodes)
        .set(ok ? { usedAt: now } : { attempts: latest.attempts + 1 })
        .where(eq(portalCodes.id, latest.id));
      if (!ok) return { wrongCode: true } as const;

      const customerId = await findOrCreateCustomer(tx, { msisdn }, null, now);
      const session = { token: token(), csrfToken: token() };
      await tx.insert(portalSessions).values({
        tokenHash: sha256(session.token),
        customerId,
        msisdn,
        csrfToken: session.csrfToken,
        createdAt: now,
        expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
      });
      return { session } as const;
    })
    .then((r) => {
      // A wrong attempt is counted (committed) before it is refused.
      if ('wrongCode' in r)
        throw new AppError('auth.invalid_credentials', 'The code is wrong or has expired; ask for a new one');
      return r.session;
    });
}

// The key never changes once made, so each process reads it once per database. `executor` is the
// open transaction when there is one (an embedded database serves one connection).
const linkKeys = new WeakMap<Db, Buffer>();
async function linkKey(db: Db, executor: Db | Tx = db): Promise<Buffer> {
  const cached = linkKeys.get(db);
  if (cached) return cached;
  await executor
    .insert(appSecrets)
    .values({ name: 'portal_link', value: randomBytes(32).toString('base64') })
    .onConflictDoNothing();
  const [row] = await executor.select().from(appSecrets).where(eq(appSecrets.name, 'portal_link'));
  const key = Buffer.from(row!.value, 'base64');
  linkKeys.set(db, key);
  return key;
}

/** A link for one ticket, sent with notifications: `<ticketId>.<expiry>.<mac>`. */
export async function signTicketLink(db: Db, executor: Db | Tx, ticketId: string, now: Date): Promise<string> {
  const expires = Math.floor((now.getTime() + LINK_TTL_MS) / 1000);
  const mac = createHmac('sha256', await linkKey(db, executor))
    .update(`${ticketId}.${expires}`)
    .digest('base64url');
  return `${ticketId}.${expires}.${mac}`;
}

export async function openTicketLink(deps: Deps, link: string) {
  const [ticketId, expires, mac] = link.split('.');
  const invalid = new AppError(
    'auth.invalid_credentials',
    'The link is invalid or has expired; sign in with your phone number',
  );
  if (!ticketId || !expires || !mac || !/^[0-9a-f-]{36}$/.test(ticketId)) throw invalid;
  const expected = createHmac('sha256', await linkKey(deps.db))
    .update(`${ticketId}.${expires}`)
    .digest('base64url');
  if (expected.length !== mac.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(mac))) throw invalid;
  const now = deps.clock.now();
  if (Number(expires) * 1000 < now.getTime()) throw invalid;
  const [ticket] = await deps.db
    .select({ customerId: tickets.customerId })
    .from(tickets)
    .where(eq(tickets.id, ticketId));
  if (!ticket) throw invalid;
  const session = { token: token(), csrfToken: token() };
  await deps.db.insert(portalSessions).values({
    tokenHash: sha256(session.token),
    customerId: ticket.customerId,
    scopeTicketId: ticketId,
    csrfToken: session.csrfToken,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  });
  return { ...session, ticketId };
}

export async function findPortalSession(deps: Deps, sessionToken: string): Promise<PortalSession | null> {
  const [row] = await deps.db
    .select()
    .from(portalSessions)
    .where(and(eq(portalSessions.tokenHash, sha256(sessionToken)), gt(portalSessions.expiresAt, deps.clock.now())));
  return row
    ? { customerId: row.customerId, msisdn: row.msisdn, scopeTicketId: row.scopeTicketId, csrfToken: row.csrfToken }
    : null;
}

export async function endPortalSession(deps: Deps, sessionToken: string): Promise<void> {
  await deps.db.delete(portalSessions).where(eq(portalSessions.tokenHash, sha256(sessionToken)));
}
