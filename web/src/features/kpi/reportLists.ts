import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CHANNELS, TICKET_TYPES } from '../../../../src/core/tickets/types';
import { deskApi } from '../../api/desk';
import type { NewReportSchedule } from '../../api/kpi';
import { useCategories } from '../tickets/useCategories';
import { useTeams } from '../tickets/useTeams';

// The ticket list behind a KPI figure as a scheduled report (issue 16): which drill-down lists a
// schedule can send, and the name that says which list it is, in the reader's language.

export type TicketsWhat = Extract<NewReportSchedule['what'], { kind: 'tickets' }>;

/** List parameters that do not choose tickets: the period (a schedule sends its own) and the order. */
const NOT_FILTERS = new Set(['factsFrom', 'factsTo', 'sort', 'limit', 'cursor']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The list filters a schedule carries (its `what`, as the schedule API accepts them). */
const CARRIED: Record<string, { as: keyof TicketsWhat; fits: (v: string) => boolean }> = {
  teamId: { as: 'teamId', fits: (v) => UUID.test(v) },
  assigneeId: { as: 'agentId', fits: (v) => UUID.test(v) }, // not "none" (unassigned) nor "me"
  type: { as: 'type', fits: (v) => (TICKET_TYPES as readonly string[]).includes(v) },
  categoryId: { as: 'categoryId', fits: (v) => UUID.test(v) },
  channel: { as: 'channel', fits: (v) => (CHANNELS as readonly string[]).includes(v) },
  region: { as: 'region', fits: (v) => v.trim().length > 0 && v.length <= 60 },
};

/**
 * The schedule of a drill-down list (`kpi` and the list's filters), or null when the list has a
 * filter a schedule cannot carry (words, status, grade, "unassigned"): the schedule would mail
 * other tickets than the ones on screen.
 */
export function scheduleOfList(params: Record<string, string | number | undefined>): TicketsWhat | null {
  const what: Record<string, string> = { kind: 'tickets' };
  for (const [key, raw] of Object.entries(params)) {
    const value = raw === undefined ? '' : String(raw);
    if (value === '' || NOT_FILTERS.has(key)) continue;
    if (key === 'kpi') what.kpi = value;
    else if (CARRIED[key]?.fits(value)) what[CARRIED[key].as] = value;
    else return null;
  }
  return what.kpi ? (what as TicketsWhat) : null;
}

/** "首次解决率未达标工单 · 一线客服组": the list and its filters in the reader's language. */
export function useListName(opts: { agents: boolean }): (what: TicketsWhat) => string {
  const { t } = useTranslation();
  const teams = useTeams();
  const categories = useCategories();
  const agents = useQuery({ queryKey: ['agents'], queryFn: deskApi.agents, enabled: opts.agents, staleTime: 300_000 });
  return (what) =>
    [
      t(`kpi.schedule.lists.${what.kpi}`),
      what.teamId && (teams.data?.items.find((x) => x.id === what.teamId)?.name ?? t('kpi.schedule.aTeam')),
      what.agentId && (agents.data?.items.find((x) => x.id === what.agentId)?.displayName ?? t('kpi.schedule.anAgent')),
      what.type && t(`type.${what.type}`),
      what.categoryId && (categories.nameOf(what.categoryId) ?? t('kpi.schedule.aCategory')),
      what.channel && t(`channel.${what.channel}`),
      what.region,
    ]
      .filter(Boolean)
      .join(' · ');
}
