import { eq } from 'drizzle-orm';
import type { Actor } from '../../core/auth/policy.js';
import { assertIncidentMove } from '../../core/incidents/incidents.js';
import { incidents } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { loadIncidentForUpdate, recordIncidentEvent, requireIncidentManager } from './incident-access.js';

/**
 * The post-incident review (复盘): the lessons learnt are written on the resolved incident, which
 * becomes `reviewed` (final). The figures (time to detect and restore, tickets, notices, remedies)
 * are read from the incident itself, so only the lessons are stored.
 */
export async function reviewIncident(deps: Deps, actor: Actor, id: string, lessons: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await requireIncidentManager(tx, actor);
    const incident = await loadIncidentForUpdate(tx, id);
    assertIncidentMove(incident.status, 'reviewed');
    await tx
      .update(incidents)
      .set({ status: 'reviewed', lessons, reviewedAt: now, updatedAt: now, version: incident.version + 1 })
      .where(eq(incidents.id, id));
    await recordIncidentEvent(tx, {
      incidentId: id,
      actorId: actor.id,
      kind: 'reviewed',
      data: { from: incident.status, to: 'reviewed' },
      at: now,
    });
  });
}
