import { liveChatCounts } from './chat-facts.js';
import type { LiveChats } from './read-wallboard.js';

/** Chats waiting for a person and chats with a person now, from the chat conversations. */
export const liveChats: LiveChats = (db, queue) => liveChatCounts(db, queue);
