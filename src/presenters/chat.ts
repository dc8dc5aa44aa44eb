import type { ChatMessageView } from '../contracts/chat.js';
import type { ChatMessagePayload } from '../core/chat/types.js';

// What each viewer sees of a chat message: customers get the text, the agent's display name and
// what the bot offered, never staff ids or which colleague a chat was transferred to.

type Row = {
  id: string;
  seq: number;
  author: ChatMessageView['author'];
  agentName: string | null;
  clientMessageId: string | null;
  body: string;
  payload: ChatMessagePayload;
  createdAt: Date;
};

const payloadView = (p: ChatMessagePayload, viewer: Viewer): ChatMessageView['payload'] => ({
  ...(p.kind !== undefined ? { kind: p.kind } : {}),
  ...(p.articles ? { articles: p.articles } : {}),
  ...(p.intent ? { intent: p.intent } : {}),
  ...(p.confidence !== undefined ? { confidence: p.confidence } : {}),
  ...(p.helpful !== undefined ? { helpful: p.helpful } : {}),
  ...(p.handoffReason ? { handoffReason: p.handoffReason } : {}),
  ...(p.words ? { words: p.words } : {}),
  ...(p.articleId ? { articleId: p.articleId } : {}),
  ...(p.ticketNumber ? { ticketNumber: p.ticketNumber } : {}),
  ...(viewer === 'staff' && p.note ? { note: p.note } : {}),
});

/** Who reads: the customer (portal, gateway) or staff (the desk). */
export type Viewer = 'customer' | 'staff';

export function presentChatMessage(row: Row, viewer: Viewer = 'customer'): ChatMessageView {
  return {
    id: row.id,
    seq: row.seq,
    author: row.author,
    agentName: row.author === 'agent' ? row.agentName : null,
    clientMessageId: row.clientMessageId,
    body: row.body,
    payload: payloadView(row.payload, viewer),
    createdAt: row.createdAt.toISOString(),
  };
}
