import { eq } from 'drizzle-orm';
import type { Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { isActiveIncident } from '../../core/incidents/incidents.js';
import type { IncidentEdit } from '../../contracts/incidents.js';
import { incidents } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { checkLevel, matchWordsOf } from './create-incident.js';
import { loadIncidentForUpdate, recordIncidentEvent, requireIncidentManager } from './incident-access.js';

/** Changes what agents and customers are told and what the incident covers, while it is active. */
export async function editIncident(deps: Deps, actor: Actor, id: string, input: IncidentEdit): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await requireIncidentManager(tx, actor);
    const incident = await loadIncidentForUpdate(tx, id);
    if (!isActiveIncident(incident.status))
      throw new AppError('incident.not_active', 'A resolved incident cannot be edited; write its review instead');
    if (input.level) await checkLevel(tx, input.level);
    const { matchWords, expectedRepairAt, ...rest } = input;
    const set = {
      ...rest,
      ...(matchWords !== undefined ? { matchWords: matchWordsOf(matchWords) } : {}),
      ...(expectedRepairAt !== undefined
        ? { expectedRepairAt: expectedRepairAt ? new Date(expectedRepairAt) : null }
        : {}),
      // New areas: the notice job walks the customers again (a customer already told is not told twice).
      ...(input.areas !== undefined ? { noticeCursor: null } : {}),
    };
    await tx
      .update(incidents)
      .set({ ...set, updatedAt: now, version: incident.version + 1 })
      .where(eq(incidents.id, id));
    await recordIncidentEvent(tx, {
      incidentId: id,
      actorId: actor.id,
      kind: 'edited',
      data: {
        changed: Object.keys(input),
        ...(input.expectedRepairAt !== undefined ? { expectedRepairAt: input.expectedRepairAt } : {}),
      },
      at: now,
    });
  });
}
