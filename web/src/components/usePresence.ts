import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { deskApi } from '../api/desk';

/**
 * This person's presence (online / away / offline; null until known, or for those who take no
 * work) and the switch: going online makes automatic queues hand them work, and lets them accept chats.
 */
export function usePresence(meId: string) {
  const client = useQueryClient();
  const agents = useQuery({ queryKey: ['board', 'agents'], queryFn: () => deskApi.agents() });
  const set = useMutation({
    mutationFn: deskApi.setPresence,
    onSettled: () =>
      client.invalidateQueries({ queryKey: ['board'] }).then(() => client.invalidateQueries({ queryKey: ['tickets'] })),
  });
  return { presence: agents.data?.items.find((a) => a.id === meId)?.presence ?? null, set };
}
