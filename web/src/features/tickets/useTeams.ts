import { useQuery } from '@tanstack/react-query';
import { deskApi } from '../../api/desk';

/** Teams and departments (queues): they change rarely, so one cached list serves every screen. */
export function useTeams(opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['teams'],
    queryFn: () => deskApi.teams(),
    staleTime: 300_000,
    enabled: opts.enabled ?? true,
  });
}
