import type { QueryClient } from '@tanstack/react-query';
import type { Ticket } from '../../api/types';

/**
 * After a move the API answered with the ticket: that answer becomes the cached ticket, and only
 * what hangs off it (timeline, SLA, sub-tasks, files) is fetched again.
 */
export function storeTicket(client: QueryClient, ticket: Ticket): void {
  client.setQueryData(['ticket', ticket.id], ticket);
  void client.invalidateQueries({ queryKey: ['ticket', ticket.id], predicate: (q) => q.queryKey.length > 2 });
}
