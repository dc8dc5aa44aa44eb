import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { canSupervise, WORKER_ROLES, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { defaultTier, type AssignmentStrategy, type Presence } from '../../core/routing/assignment.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import type { AgentProfileBody, Certification } from '../../contracts/routing.js';
import { agentCertifications, agentProfiles, queueMembers, staff, teams, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { autoAssign } from './auto-assign.js';

// The people assignment chooses from: their tier, skills, capacity, certifications and presence,
// and which queues they work.

const DEFAULT_SKILLS = { categories: [], languages: ['zh'], regions: [] };

function requireManager(actor: Actor) {
  if (!canSupervise(actor))
    throw new AppError('auth.forbidden', 'Only supervisors and administrators manage agents and queues');
}

async function requireWorker(deps: Deps, staffId: string) {
  const [person] = await deps.db.select({ role: staff.role }).from(staff).where(eq(staff.id, staffId));
  if (!person) throw notFound('Staff member');
  if (!WORKER_ROLES.includes(person.role))
    throw new AppError('agent.not_staff', `A ${person.role} account does not take tickets`);
  return person;
}

/** Everyone who can take tickets, with live load: the supervisor's view of the floor. */
export async function listAgents(deps: Deps) {
  const now = deps.clock.now();
  const [people, loads, memberships, certs] = await Promise.all([
    deps.db
      .select({ person: staff, profile: agentProfiles })
      .from(staff)
      .leftJoin(agentProfiles, eq(agentProfiles.staffId, staff.id))
      .where(and(eq(staff.active, true), inArray(staff.role, [...WORKER_ROLES])))
      .orderBy(asc(staff.displayName)),
    deps.db
      .select({ staffId: tickets.assigneeId, n: count() })
      .from(tickets)
      .where(inArray(tickets.status, [...OPEN_STATUSES]))
      .groupBy(tickets.assigneeId),
    deps.db.select().from(queueMembers),
    deps.db.select().from(agentCertifications),
  ]);
  const load = new Map(loads.map((l) => [l.staffId, l.n]));
  return people.map(({ person, profile }) => ({
    id: person.id,
    displayName: person.displayName,
    role: person.role,
    teamId: person.teamId,
    tier: profile?.tier ?? defaultTier(person.role),
    skills: profile?.skills ?? DEFAULT_SKILLS,
    capacity: profile?.capacity ?? 20,
    presence: (profile?.presence ?? 'offline') as Presence,
    openCount: load.get(person.id) ?? 0,
    queues: [
      ...new Set([
        ...(person.teamId ? [person.teamId] : []),
        ...memberships.filter((m) => m.staffId === person.id).map((m) => m.teamId),
      ]),
    ],
    certifications: certs
      .filter((c) => c.staffId === person.id && (c.expiresAt === null || c.expiresAt > now))
      .map((c) => ({ code: c.code, expiresAt: c.expiresAt?.toISOString() ?? null })),
  }));
}

export async function saveProfile(deps: Deps, actor: Actor, staffId: string, input: z.output<typeof AgentProfileBody>) {
  requireManager(actor);
  await requireWorker(deps, staffId);
  const now = deps.clock.now();
  await deps.db
    .insert(agentProfiles)
    .values({ staffId, ...input, updatedAt: now })
    .onConflictDoUpdate({ target: agentProfiles.staffId, set: { ...input, updatedAt: now } });
}

export async function setCertifications(
  deps: Deps,
  actor: Actor,
  staffId: string,
  items: z.output<typeof Certification>[],
) {
  requireManager(actor);
  await requireWorker(deps, staffId);
  await deps.db.transaction(async (tx) => {
    await tx.delete(agentCertifications).where(eq(agentCertifications.staffId, staffId));
    if (items.length > 0) {
      await tx
        .insert(agentCertifications)
        .values(items.map((c) => ({ staffId, code: c.code, expiresAt: c.expiresAt ? new Date(c.expiresAt) : null })));
    }
  });
}

/**
 * An agent signs on, takes a break or signs off. A profile is created on first use. Going online
 * picks up waiting tickets at once rather than at the next periodic assignment.
 */
export async function setPresence(deps: Deps, actor: Actor, presence: Presence) {
  const person = await requireWorker(deps, actor.id);
  const now = deps.clock.now();
  await deps.db
    .insert(agentProfiles)
    .values({ staffId: actor.id, tier: defaultTier(person.role), presence, updatedAt: now })
    .onConflictDoUpdate({ target: agentProfiles.staffId, set: { presence, updatedAt: now } });
  if (presence === 'online') await autoAssign(deps, { batch: 50 });
}

export async function setQueueMembers(deps: Deps, actor: Actor, teamId: string, staffIds: string[]) {
  requireManager(actor);
  const [team] = await deps.db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!team) throw notFound('Team');
  const ids = [...new Set(staffIds)];
  const found = ids.length
    ? await deps.db
        .select({ id: staff.id })
        .from(staff)
        .where(and(inArray(staff.id, ids), inArray(staff.role, [...WORKER_ROLES])))
    : [];
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0)
    throw new AppError('agent.not_staff', 'Some members are not staff who take tickets', { staffIds: missing });
  await deps.db.transaction(async (tx) => {
    await tx.delete(queueMembers).where(eq(queueMembers.teamId, teamId));
    if (ids.length > 0) await tx.insert(queueMembers).values(ids.map((staffId) => ({ teamId, staffId })));
  });
}

export async function setQueueStrategy(
  deps: Deps,
  actor: Actor,
  teamId: string,
  assignmentStrategy: AssignmentStrategy,
) {
  requireManager(actor);
  const updated = await deps.db
    .update(teams)
    .set({ assignmentStrategy })
    .where(eq(teams.id, teamId))
    .returning({ id: teams.id });
  if (updated.length === 0) throw notFound('Team');
}
