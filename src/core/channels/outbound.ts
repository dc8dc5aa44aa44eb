import type { Channel } from '../tickets/types.js';

// Where an agent's public reply goes: back through the channel the customer used, unless the
// agent picks another. Channels without a way to push a message (a call, a shop visit, the web
// form) fall back to SMS when the customer has a number; otherwise the reply waits in the portal.

export const OUTBOUND_CHANNELS = ['sms', 'wechat', 'app', 'email'] as const;
export type OutboundChannel = (typeof OUTBOUND_CHANNELS)[number];

/**
 * An outbound message's state: pending → sent, or logged (only written to the server's log because
 * no gateway or SMTP relay is configured: nothing reached the customer), or dead after its retries.
 */
export const OUTBOX_STATES = ['pending', 'sent', 'logged', 'dead'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export type CustomerContacts = {
  msisdn: string | null;
  wechat: string | null;
  app: string | null;
  email: string | null;
};
const contactFor = (channel: OutboundChannel, c: CustomerContacts) => (channel === 'sms' ? c.msisdn : c[channel]);
const isOutbound = (c: Channel): c is OutboundChannel => (OUTBOUND_CHANNELS as readonly string[]).includes(c);

export type ReplyRoute = { channel: OutboundChannel; recipient: string } | { channel: null; reason: string };

export function replyRoute(opts: {
  requested?: Channel | undefined;
  customerChannel: Channel;
  contacts: CustomerContacts;
}): ReplyRoute {
  const { requested, customerChannel, contacts } = opts;
  if (requested) {
    if (!isOutbound(requested)) return { channel: null, reason: `Replies cannot be sent through ${requested}` };
    const recipient = contactFor(requested, contacts);
    return recipient
      ? { channel: requested, recipient }
      : { channel: null, reason: `The customer has no ${requested} contact` };
  }
  const preferred: OutboundChannel = isOutbound(customerChannel) ? customerChannel : 'sms';
  for (const channel of [preferred, 'sms'] as const) {
    const recipient = contactFor(channel, contacts);
    if (recipient) return { channel, recipient };
  }
  return { channel: null, reason: 'No contact to send to; the reply is shown in the customer portal' };
}

export const MAX_DELIVERY_ATTEMPTS = 8;

/** Exponential backoff after a failed attempt: 30 s, 1 min, 2 min … capped at 1 h; null = give up (dead letter). */
export function nextAttemptDelayMs(attemptsSoFar: number): number | null {
  if (attemptsSoFar >= MAX_DELIVERY_ATTEMPTS) return null;
  return Math.min(30_000 * 2 ** (attemptsSoFar - 1), 3_600_000);
}
