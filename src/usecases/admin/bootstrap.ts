import { v7 as uuidv7 } from 'uuid';
import type { IntakeQueues } from '../../core/routing/intake.js';
import { staff, teams } from '../../db/schema.js';
import { hashPassword } from '../auth/passwords.js';
import type { Deps } from '../deps.js';

/** The first administrator of an installation without demo data. */
export async function createAdminAccount(deps: Deps, username: string, password: string): Promise<void> {
  await deps.db.insert(staff).values({
    id: uuidv7(),
    username,
    displayName: 'Administrator',
    passwordHash: await hashPassword(password),
    role: 'admin',
    createdAt: deps.clock.now(),
  });
}

/**
 * The teams the intake queues name, for an installation without demo data, so that every channel
 * has a queue from the first ticket on (auto-assigned, least loaded first). Existing teams are kept.
 */
export async function createIntakeTeams(deps: Deps, queues: IntakeQueues): Promise<void> {
  const codes = [...new Set([queues.default, ...Object.values(queues.byChannel)])].filter((c) => c !== null);
  if (codes.length === 0) return;
  await deps.db
    .insert(teams)
    .values(
      codes.map((code) => ({
        id: uuidv7(),
        code,
        name: code === 'frontline' ? '一线客服组' : code,
        kind: 'frontline',
        assignmentStrategy: 'least_loaded',
        createdAt: deps.clock.now(),
      })),
    )
    .onConflictDoNothing({ target: teams.code });
}
