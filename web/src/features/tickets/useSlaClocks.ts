import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { SlaTarget } from '../../api/types';
import { useNow } from './useNow';
import { deskApi } from '../../api/desk';

export type SlaClock = SlaTarget & {
  running: boolean;
  /** Running, but its calendar is closed now (evening, weekend, holiday): the countdown holds. */
  onHold: boolean;
  /** Business time left at this second. */
  remaining: number;
};

const REFRESH_MS = 60_000;

/**
 * The ticket's time limits as live countdowns of remaining business time. The server says, as of
 * its answer, how much is left and whether the calendar is open; between answers a counting limit
 * ticks down with this page's clock and a held one stands still. When a calendar opens or closes
 * before the next regular refresh, the page asks again at that moment.
 */
export function useSlaClocks(ticketId: string) {
  const now = useNow(1_000);
  const sla = useQuery({
    queryKey: ['ticket', ticketId, 'sla'],
    queryFn: () => deskApi.sla(ticketId),
    refetchInterval: REFRESH_MS,
  });
  const { data, dataUpdatedAt, refetch } = sla;

  useEffect(() => {
    if (!data) return;
    const asOf = Date.parse(data.asOf);
    const flips = data.items.filter((s) => s.countingChangesAt).map((s) => Date.parse(s.countingChangesAt!) - asOf);
    const wait = Math.min(...flips) + dataUpdatedAt - Date.now();
    if (!(wait < REFRESH_MS)) return;
    // Every component showing this ticket's clocks sets such a timer: they share one request.
    const timer = setTimeout(() => void refetch({ cancelRefetch: false }), Math.max(0, wait) + 500);
    return () => clearTimeout(timer);
  }, [data, dataUpdatedAt, refetch]);

  const sinceAnswer = Math.max(0, now - dataUpdatedAt);
  const clocks = data?.items.map((s): SlaClock => {
    const running = s.state !== 'met' && s.state !== 'paused';
    const remaining = s.counting ? s.remainingMs - sinceAnswer : s.remainingMs;
    // The server decides warning; running out while the page is open turns it red here.
    const state = running && remaining < 0 ? 'breached' : s.state;
    return { ...s, state, running, onHold: running && !s.counting, remaining };
  });
  return { clocks, isPending: sla.isPending };
}
