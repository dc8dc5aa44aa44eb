import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { Team } from '../../api/types';

/** Teams and departments (queues): they change rarely, so one cached list serves every screen. */
export function useTeams(opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['teams'],
    queryFn: () => get<{ items: Team[] }>('/api/v1/teams'),
    staleTime: 300_000,
    enabled: opts.enabled ?? true,
  });
}
