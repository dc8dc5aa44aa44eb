import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { Database } from '../db/client.js';
import { findSession, sessionTokenHash } from '../usecases/auth/sessions.js';
import type { Deps } from '../usecases/deps.js';

// Every staff request starts by reading its session and its person: a round trip that answers the
// same thing for a session's whole life, unless it ends or the person's account changes. So each
// node keeps the sessions it has read, and forgets one as soon as the database announces that it
// was deleted (sign-out, deactivation, password reset: sessions_notify_end) or that its person
// changed (role, team, name: staff_notify_change, migration 0053), both on one channel. While its
// LISTEN connection is down nothing is announced, so nothing is answered from memory until it is
// back; an entry is also read again after TTL_MS, in case a connection died without a word.

/**
 * A session was deleted (sign-out, deactivation, password reset: `{ tokenHash }`; every node forgets
 * it and ends its event streams) or a person's account changed (`{ staffId }`: every node forgets
 * their sessions).
 */
export const SESSIONS_ENDED_CHANNEL = 'loopdesk_sessions_ended';
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

type Session = NonNullable<Awaited<ReturnType<typeof findSession>>>;
const Announcement = z.union([z.object({ tokenHash: z.string() }), z.object({ staffId: z.string() })]);

export type SessionCache = {
  find(deps: Deps, token: string): Promise<Session | null>;
  /**
   * What this node itself ended or changed is forgotten at once, not when the announcement comes
   * back: a browser's next request may be quicker than that.
   */
  forgetSession(token: string): void;
  forgetStaff(staffId: string): void;
  stop(): Promise<void>;
};

export async function startSessionCache(database: Database, clock: Clock): Promise<SessionCache> {
  const entries = new Map<string, { session: Session; until: number }>();
  /** The channel is heard: only then may a session be answered from memory. */
  let listening = true;
  // Bumped by every announcement: a session read from the database while one arrived may already
  // be out of date, so it is not kept.
  let generation = 0;
  const forget = (drop: (s: Session, key: string) => boolean) => {
    generation++;
    for (const [key, { session }] of entries) if (drop(session, key)) entries.delete(key);
  };
  const unlisten = await database.listen(
    SESSIONS_ENDED_CHANNEL,
    (payload) => {
      const heard = Announcement.safeParse(JSON.parse(payload));
      if (!heard.success) return forget(() => true);
      const said = heard.data;
      forget('tokenHash' in said ? (_, key) => key === said.tokenHash : (s) => s.actor.id === said.staffId);
    },
    () => {
      listening = true;
      forget(() => true);
    },
    () => {
      listening = false;
      forget(() => true);
    },
  );

  return {
    async find(deps, token) {
      const key = sessionTokenHash(token);
      const now = clock.now().getTime();
      const kept = entries.get(key);
      if (kept && now < kept.until && now < kept.session.expiresAt.getTime() && listening) return kept.session;
      entries.delete(key);
      const before = generation;
      const session = await findSession(deps, token);
      if (session && before === generation && listening) {
        // The oldest entry makes room (a Map iterates in insertion order).
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(key, { session, until: now + TTL_MS });
      }
      return session;
    },
    forgetSession(token) {
      const key = sessionTokenHash(token);
      forget((_, k) => k === key);
    },
    forgetStaff(staffId) {
      forget((s) => s.actor.id === staffId);
    },
    async stop() {
      await unlisten();
      entries.clear();
    },
  };
}
