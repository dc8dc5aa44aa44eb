import { z } from 'zod';
import { CALL_EVENTS } from '../core/contact-centre/figures.js';
import { CUSTOMER_TIERS } from '../core/tickets/types.js';
import { Msisdn } from './customers.js';

export const CallEvent = z
  .strictObject({
    callId: z.string().min(1).max(200),
    event: z
      .enum(CALL_EVENTS)
      .describe(
        'started (entered the IVR), offered (the ACD offered it to the agents), queued (waiting for a free agent), answered, abandoned (the caller hung up while waiting), ended',
      ),
    at: z.iso.datetime({ offset: true }),
    caller: Msisdn,
    agent: z.string().min(1).max(64).optional().describe('username of the agent who answered'),
    ivrPath: z.array(z.string().max(50)).max(20).optional().describe('IVR menu choices, e.g. ["2", "1"] for 账单查询'),
    recordingUrl: z
      .url({ protocol: /^https?$/ })
      .max(1000)
      .optional(),
    queue: z.string().trim().min(1).max(100).optional().describe('the ACD queue the call waits in'),
    skill: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('the ACD skill group; used as the queue when no queue is named'),
    waitSeconds: z
      .number()
      .min(0)
      .max(86_400)
      .optional()
      .describe('with answered / abandoned: how long the caller waited in the queue, as the ACD measured it'),
    ticketNumber: z
      .string()
      .regex(/^[A-Z]{2}\d{14,}$/)
      .optional()
      .describe('attach the call to this ticket'),
  })
  .meta({ id: 'CallEvent' });

export const CallView = z
  .object({
    callId: z.string(),
    customerId: z.uuid().nullable(),
    agentId: z.uuid().nullable(),
    ticketId: z.uuid().nullable(),
    openTicketIds: z.array(z.uuid()),
    recordingUrl: z.string().nullable(),
    startedAt: z.iso.datetime().nullable(),
    offeredAt: z.iso.datetime().nullable(),
    queuedAt: z.iso.datetime().nullable(),
    answeredAt: z.iso.datetime().nullable(),
    abandonedAt: z.iso.datetime().nullable(),
    endedAt: z.iso.datetime().nullable(),
    queue: z.string(),
  })
  .meta({ id: 'Call' });

/**
 * The `call` server-sent event (screen pop) when an agent answers: the caller as this agent may see
 * them (name masked for viewers who may not reveal personal data, the number always masked; no
 * name for a number no customer has) and their open tickets this agent may read.
 */
export const ScreenPop = z
  .object({
    callId: z.string(),
    customerId: z.uuid().nullable(),
    openTicketIds: z.array(z.uuid()),
    caller: z.object({
      name: z.string().nullable(),
      tier: z.enum(CUSTOMER_TIERS).nullable(),
      number: z.string().describe('Masked'),
    }),
  })
  .meta({ id: 'ScreenPop' });
export type ScreenPop = z.infer<typeof ScreenPop>;
