import { eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { DEFAULT_TICKET_CATEGORIES } from '../../core/incidents/incidents.js';
import type { IncidentCreate } from '../../contracts/incidents.js';
import { queryRows, type Tx } from '../../db/client.js';
import { incidentLevels, incidents } from '../../db/schema.js';
import { segmentWords } from '../../text/segmenter.js';
import type { Deps } from '../deps.js';
import { recordIncidentEvent, requireIncidentManager } from './incident-access.js';

/** Throws `incident.unknown_level` unless the level exists. */
export async function checkLevel(tx: Tx, level: string): Promise<void> {
  const [row] = await tx
    .select({ code: incidentLevels.code })
    .from(incidentLevels)
    .where(eq(incidentLevels.code, level));
  if (!row) throw new AppError('incident.unknown_level', `Unknown incident level "${level}"`, { field: 'level' });
}

/** Matching words as the linking rule compares them: jieba words, lower case, unique. */
export const matchWordsOf = (text: string): string[] => [...new Set(segmentWords(text))];

/**
 * Opens an incident (network operations or a supervisor), owned by network operations. From a
 * candidate, `detectedAt` is when its first ticket arrived (time to detect).
 */
export async function createIncidentIn(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  input: IncidentCreate,
  opts: { detectedAt?: Date | null; candidateId?: string } = {},
): Promise<{ id: string; number: string }> {
  const teamId = await requireIncidentManager(tx, actor);
  await checkLevel(tx, input.level);
  const now = deps.clock.now();
  const id = uuidv7();
  const [seq] = await queryRows<{ n: string | number }>(tx, sql`select nextval('incident_number_seq') as n`);
  const day = DateTime.fromJSDate(now, { zone: deps.timeZone }).toFormat('yyyyLLdd');
  const number = `INC${day}${String(Number(seq!.n)).padStart(4, '0')}`;
  await tx.insert(incidents).values({
    id,
    number,
    title: input.title,
    category: input.category,
    level: input.level,
    areas: input.areas,
    locations: input.locations,
    services: input.services,
    ticketCategories: input.ticketCategories?.length
      ? input.ticketCategories
      : [...DEFAULT_TICKET_CATEGORIES[input.category]],
    matchWords: matchWordsOf(input.matchWords),
    regionType: input.regionType,
    teamId,
    publicMessage: input.publicMessage,
    agentScript: input.agentScript,
    startedAt: input.startedAt ? new Date(input.startedAt) : now,
    detectedAt: opts.detectedAt ?? null,
    expectedRepairAt: input.expectedRepairAt ? new Date(input.expectedRepairAt) : null,
    notifyCustomers: input.notifyCustomers,
    createdById: actor.id,
    createdAt: now,
    updatedAt: now,
  });
  await recordIncidentEvent(tx, {
    incidentId: id,
    actorId: actor.id,
    kind: 'opened',
    data: {
      number,
      level: input.level,
      areas: input.areas,
      ...(opts.candidateId ? { candidateId: opts.candidateId } : {}),
    },
    at: now,
  });
  return { id, number };
}

export async function createIncident(deps: Deps, actor: Actor, input: IncidentCreate): Promise<string> {
  return deps.db.transaction(async (tx) => (await createIncidentIn(tx, deps, actor, input)).id);
}
