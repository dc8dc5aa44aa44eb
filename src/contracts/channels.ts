import { z } from 'zod';
import { Msisdn } from './customers.js';

export const WEBHOOK_CHANNELS = ['sms', 'wechat', 'app'] as const;
export type WebhookChannel = (typeof WEBHOOK_CHANNELS)[number];

export const InboundMessage = z
  .strictObject({
    messageId: z
      .string()
      .min(1)
      .max(200)
      .describe('The sender’s own id of this message: a redelivery with the same id is a no-op'),
    from: z
      .strictObject({
        msisdn: Msisdn.optional(),
        openId: z.string().min(1).max(200).optional().describe('WeChat open id or app user id'),
        name: z.string().max(100).optional(),
      })
      .refine((f) => f.msisdn || f.openId, 'from needs an msisdn or an openId'),
    text: z.string().min(1).max(10_000),
    sentAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({ id: 'InboundMessage' });

export const InboundResult = z
  .object({
    ticketId: z.uuid().nullable().describe('null only for a survey opt-out ("TD" / "退订")'),
    ticketNumber: z.string().nullable(),
    messageId: z.uuid().nullable().describe('null when the text answered a survey or opted out (no ticket message)'),
    created: z.boolean().describe('a new ticket was opened (false: added to an open one)'),
    duplicate: z.boolean().describe('this messageId was already accepted; nothing changed'),
    survey: z
      .enum(['answered', 'opted_out'])
      .optional()
      .describe('an SMS digit 1–5 answered the number’s newest pending survey, or "TD" / "退订" opted it out'),
    confirmation: z
      .enum(['solved', 'not_solved'])
      .optional()
      .describe(
        'an SMS such as 已解决 / 未解决 answered the newest resolved ticket awaiting confirmation: solved closed it, not solved reopened it',
      ),
  })
  .meta({ id: 'InboundResult' });
