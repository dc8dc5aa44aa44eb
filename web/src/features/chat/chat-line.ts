import type { TFunction } from 'i18next';
import type { ChatMessage } from '../../api/chat';

/**
 * What a chat line says. A system line is worded from its kind in the reader's language (its body
 * holds only the name or number it is about); the others are their own words.
 */
export function chatLineText(m: ChatMessage, t: TFunction): string {
  if (m.author !== 'system') return m.body;
  switch (m.payload.kind) {
    case 'accepted':
    case 'transferred':
      return t(`chatSystem.${m.payload.kind}`, { name: m.body });
    case 'ticket':
      return t('chatSystem.ticket', { number: m.payload.ticketNumber ?? m.body });
    case 'ended':
    case 'abandoned': // the system ended it: the customer left the queue
    case 'timed_out': // the system ended it: the customer stopped answering
      return t(`chatSystem.${m.payload.kind}`);
    default:
      return m.body;
  }
}
