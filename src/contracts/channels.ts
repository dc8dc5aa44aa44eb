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
    ticketId: z.uuid(),
    ticketNumber: z.string(),
    messageId: z.uuid(),
    created: z.boolean().describe('a new ticket was opened (false: added to an open one)'),
    duplicate: z.boolean().describe('this messageId was already accepted; nothing changed'),
  })
  .meta({ id: 'InboundResult' });
