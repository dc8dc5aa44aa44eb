import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { LiveTicketEvent, ScreenPop } from '../../api/types';
import type { LiveChatEvent } from '../../api/chat';
import { deskApi } from '../../api/desk';
import { customerTyping } from '../chat/typing';

/**
 * Server-sent events from /api/v1/events: every change to a ticket refreshes what shows it (any
 * app node, via PostgreSQL LISTEN/NOTIFY), an answered call pops the caller for this agent, and a
 * new notification for me refreshes the inbox and the unread count in the top bar.
 */
export function useLiveUpdates(enabled: boolean) {
  const client = useQueryClient();
  const [pop, setPop] = useState<ScreenPop | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(deskApi.eventsUrl, { withCredentials: true });
    source.addEventListener('ticket', (e) => {
      const { ticketId } = JSON.parse((e as MessageEvent<string>).data) as LiveTicketEvent;
      void client.invalidateQueries({ queryKey: ['ticket', ticketId] });
      void client.invalidateQueries({ queryKey: ['tickets'] });
      void client.invalidateQueries({ queryKey: ['board'] });
    });
    // A network incident or a candidate changed (any node): lists, the board's candidates and banners reload.
    source.addEventListener('incident', () => {
      void client.invalidateQueries({ queryKey: ['incidents'] });
      void client.invalidateQueries({ queryKey: ['incident'] });
      void client.invalidateQueries({ queryKey: ['incident-candidates'] });
      void client.invalidateQueries({ queryKey: ['incident-banner'] });
    });
    // A live chat changed (queued, accepted, a message, ended, warned) or its customer is typing.
    source.addEventListener('chat', (e) => {
      const { conversationId, kind, author, typing } = JSON.parse((e as MessageEvent<string>).data) as LiveChatEvent;
      if (kind === 'typing') return author === 'customer' && typing && customerTyping(conversationId);
      void client.invalidateQueries({ queryKey: ['chats'] });
      void client.invalidateQueries({ queryKey: ['chat', conversationId] });
    });
    source.addEventListener('call', (e) => setPop(JSON.parse((e as MessageEvent<string>).data) as ScreenPop));
    // A notification was written for me: the inbox and the unread count reload (and apply the read rules).
    source.addEventListener('notification', () => void client.invalidateQueries({ queryKey: ['notifications'] }));
    // Changes made while the stream or the server's LISTEN connection was down were missed.
    source.addEventListener('resync', () => void client.invalidateQueries());
    let opened = false;
    source.addEventListener('open', () => {
      if (opened) void client.invalidateQueries(); // the browser reconnected the stream itself
      opened = true;
    });
    return () => source.close();
  }, [enabled, client]);
  return { pop, dismiss: () => setPop(null) };
}
