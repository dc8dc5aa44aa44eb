import { SIGNATURE_HEADER, sign } from '../../core/channels/webhook-signature.js';
import { htmlToPlain } from '../../presenters/messages.js';
import type { OutboundSender, OutboxItem } from '../../usecases/channels/outbound.js';

// SMS, WeChat and app messages leave through the operator's gateways as signed JSON webhooks (the
// same signature scheme as inbound). In development, without a gateway, they are only logged.

const TIMEOUT_MS = 10_000;

/** Where a signed link in a notification opens the ticket in the portal. */
export const portalLinkUrl = (publicUrl: string, token: string) =>
  `${publicUrl}/portal/?link=${encodeURIComponent(token)}`;

/** Whether a reply body is HTML (written in a mail-style editor) rather than plain text. */
export const isHtmlBody = (body: string): boolean => /<\/?[a-z][^>]*>/i.test(body);

/** A reply body as plain text, for SMS, WeChat and the text part of mail. */
export const plainBody = (body: string): string => (isHtmlBody(body) ? htmlToPlain(body) : body).trim();

/** The text customers get; a reply carries a signed link to follow the ticket in the portal. */
export function messageText(item: OutboxItem, publicUrl?: string): string {
  const p = item.payload as { ticketNumber?: string; body?: string; text?: string; portalLink?: string };
  if (p.text) return p.text;
  const link = publicUrl && p.portalLink ? ` 查看进度 ${portalLinkUrl(publicUrl, p.portalLink)}` : '';
  return `【工单 ${p.ticketNumber ?? ''}】${plainBody(p.body ?? '')}${link}`;
}

export function webhookSender(opts: {
  url: string;
  secret: string;
  publicUrl?: string;
  now?: () => Date;
}): OutboundSender {
  return async (item) => {
    const body = JSON.stringify({
      id: item.id,
      channel: item.channel,
      to: item.recipient,
      text: messageText(item, opts.publicUrl),
      ticketId: item.ticketId,
      payload: item.payload,
    });
    const timestamp = Math.floor((opts.now?.() ?? new Date()).getTime() / 1000);
    const res = await fetch(opts.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': item.id,
        [SIGNATURE_HEADER]: sign(opts.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`gateway answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  };
}

/**
 * What the development log may show of a message: sign-in codes and portal link tokens are
 * credentials, so they are blanked unless `revealSecrets` (a demo node, where a person trying the
 * portal has no phone to receive the code).
 */
export function loggableText(item: OutboxItem, publicUrl: string | undefined, revealSecrets: boolean): string {
  const text = messageText(item, publicUrl);
  if (revealSecrets) return text;
  const kind = (item.payload as { kind?: string }).kind;
  const withoutCodes = kind === 'portal_code' ? text.replace(/\d{4,8}/g, '••••••') : text;
  return withoutCodes.replace(/([?&](?:link|survey)=)[^\s&]+/g, '$1[redacted]');
}

export function logSender(
  log: { info(obj: unknown, msg: string): void },
  opts: { publicUrl?: string; revealSecrets: boolean },
): OutboundSender {
  return async (item) => {
    log.info(
      {
        channel: item.channel,
        outboxId: item.id,
        ticketId: item.ticketId,
        text: loggableText(item, opts.publicUrl, opts.revealSecrets),
      },
      `outbound ${item.channel} (development log sender)`,
    );
    return 'logged';
  };
}
