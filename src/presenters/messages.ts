import sanitizeHtml from 'sanitize-html';
import type { z } from 'zod';
import { freeTextFor } from '../core/privacy/free-text.js';
import type { Channel, MessageKind } from '../core/tickets/types.js';
import type { MessageView } from '../contracts/tickets.js';
import type { Viewer } from './tickets.js';

// Bodies are stored exactly as received (mail may be HTML). What leaves the server is always this
// allow-list rendering: no scripts, no event handlers, no styles, links forced to open safely.
const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'b',
    'strong',
    'i',
    'em',
    'u',
    's',
    'ul',
    'ol',
    'li',
    'blockquote',
    'pre',
    'code',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'h1',
    'h2',
    'h3',
    'h4',
    'span',
    'div',
    'hr',
  ],
  allowedAttributes: { a: ['href', 'title'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
  disallowedTagsMode: 'discard',
};

export const sanitizeMessageHtml = (html: string): string => sanitizeHtml(html, ALLOWED);

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/** The text of an HTML mail: what the allow-list keeps, with line breaks where blocks end. */
export function htmlToPlain(html: string): string {
  const broken = html.replace(/<(br|\/p|\/div|\/li|\/tr|\/h[1-6]|\/blockquote)\b[^>]*>/gi, '$&\n');
  const text = sanitizeHtml(broken, { allowedTags: [], allowedAttributes: {} });
  return text.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, e: string) => ENTITIES[e]!).replace(/\n[ \t]+/g, '\n');
}

export function renderBody(body: string, format: string): string {
  return format === 'html' ? sanitizeMessageHtml(body) : escapeHtml(body).replace(/\r?\n/g, '<br>');
}

export type MessageRecord = {
  id: string;
  visibility: 'public' | 'internal';
  channel: Channel;
  fromCustomer: boolean;
  body: string;
  bodyFormat: string;
  createdAt: Date;
  /** Public staff replies: acknowledgement, handling plan, answer or other. */
  kind?: MessageKind | null;
};

/** A message as `viewer` sees it: numbers in the body are masked for viewers who may not reveal personal data. */
export function presentMessage(
  m: MessageRecord,
  author: { id: string; displayName: string } | null,
  viewer: Viewer,
  delivery: z.output<typeof MessageView>['delivery'] = null,
): z.output<typeof MessageView> {
  return {
    id: m.id,
    visibility: m.visibility,
    channel: m.channel,
    author,
    fromCustomer: m.fromCustomer,
    // Masking only turns digits into '*', so it cannot break the sanitised markup.
    bodyHtml: freeTextFor(viewer)(renderBody(m.body, m.bodyFormat)),
    kind: m.visibility === 'public' && !m.fromCustomer ? (m.kind ?? null) : null,
    createdAt: m.createdAt.toISOString(),
    delivery,
  };
}
