import { incidentForTicket } from '../../core/incidents/incidents.js';
import { applyActions } from '../../core/tickets/actions.js';
import type { Priority, TicketType } from '../../core/tickets/types.js';
import type { Routed } from '../routing/route-ticket.js';
import type { PriorityWeights } from '../../core/tickets/priority.js';
import type { CustomerTier } from '../../core/tickets/types.js';
import { segmentWords } from '../../text/segmenter.js';
import type { ActiveIncident } from './active-incidents.js';

/**
 * The linking rule applied to a ticket about to be inserted: the active incident it belongs to
 * (area, category, matching words: core/incidents), and the priority the incident's level raises
 * it to, through the one action vocabulary (a floor that later edits cannot undo). Null: none.
 * The hot path stays cheap: no query, and the text is segmented only when a candidate incident in
 * the area names matching words.
 */
export function linkToIncident(
  row: {
    type: TicketType;
    grade: string;
    subject: string;
    description: string;
    priority: number;
    tags?: string[] | undefined;
    categoryId?: string | null | undefined;
  },
  routed: Routed,
  facts: {
    tier: CustomerTier;
    region: string | null;
    categoryPath: string[];
    incidents: ActiveIncident[];
    weights: PriorityWeights;
  },
): { incident: ActiveIncident; priority: Priority; priorityFloor: Priority } | null {
  if (facts.incidents.length === 0 || !facts.region) return null;
  const inArea = facts.incidents.filter((i) => i.areas.includes(facts.region!));
  if (inArea.length === 0) return null;
  const needsWords = inArea.some((i) => i.matchWords.length > 0);
  const incident = incidentForTicket(
    {
      region: facts.region,
      categoryPath: facts.categoryPath,
      words: needsWords ? segmentWords(`${row.subject}\n${row.description}`) : [],
    },
    inArea,
  ) as ActiveIncident | null;
  if (!incident) return null;
  const { ticket } = applyActions(
    {
      type: row.type,
      categoryId: row.categoryId ?? null,
      grade: row.grade,
      subject: row.subject,
      description: row.description,
      details: {},
      tags: row.tags ?? [],
      contactNumber: null,
      priority: row.priority as Priority,
      priorityFloor: routed.priorityFloor,
      teamId: null,
      assigneeId: null,
      supportLevel: 1,
      status: 'new',
    },
    [{ kind: 'priority_floor', priority: incident.priority }],
    { tier: facts.tier, weights: facts.weights },
  );
  return { incident, priority: ticket.priority, priorityFloor: ticket.priorityFloor ?? incident.priority };
}
