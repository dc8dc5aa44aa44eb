import type { LiveChats } from './read-wallboard.js';

// Chats waiting for a person and chats with a person now. Filled in once the chat tables exist.
export const liveChats: LiveChats = () => Promise.resolve({ waiting: 0, concurrent: 0 });
