import type { LoopLimits } from '../../../core/channels/email-rules.js';
import type { AttachmentDeps } from '../../attachments/attachments.js';
import type { EarlierClaim } from '../message-claims.js';

/** The attachment dependencies (storage; `maxBytes` per attachment, as for uploads) plus mail limits. */
export type EmailDeps = AttachmentDeps & {
  /** Whole message, as received over SMTP. */
  maxMailBytes?: number;
  loopLimits?: LoopLimits;
};

/** What became of one mail; the mail edges answer the sender from it. */
export type EmailOutcome =
  | {
      outcome: 'accepted';
      ticketId: string;
      ticketNumber: string;
      messageId: string;
      created: boolean;
      duplicate: boolean;
      attachments: number;
    }
  | { outcome: 'recorded'; kind: 'auto_reply' | 'bounce'; ticketId: string | null; duplicate: boolean }
  | { outcome: 'dropped'; reason: string }
  | { outcome: 'quarantined'; quarantineId: string; reason: string };

/** What to answer for a mail whose Message-ID an earlier delivery claimed: what that one did. */
export function earlierOutcome(earlier: EarlierClaim): EmailOutcome {
  const { direction, ticketId, ticketNumber, messageId } = earlier;
  if (direction === 'in' && ticketId && messageId && ticketNumber) {
    return { outcome: 'accepted', ticketId, ticketNumber, messageId, created: false, duplicate: true, attachments: 0 };
  }
  if (direction === 'out') return { outcome: 'dropped', reason: 'a copy of a mail we sent' };
  if (direction === 'auto') return { outcome: 'recorded', kind: 'auto_reply', ticketId, duplicate: true };
  throw new Error('accepted email without its ticket'); // claim and ticket commit together
}
