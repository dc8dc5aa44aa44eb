import { z } from 'zod';
import { Msisdn } from './customers.js';

export const CallEvent = z
  .strictObject({
    callId: z.string().min(1).max(200),
    event: z.enum(['started', 'answered', 'ended']),
    at: z.iso.datetime({ offset: true }),
    caller: Msisdn,
    agent: z.string().min(1).max(64).optional().describe('username of the agent who answered'),
    ivrPath: z.array(z.string().max(50)).max(20).optional().describe('IVR menu choices, e.g. ["2", "1"] for 账单查询'),
    recordingUrl: z
      .url({ protocol: /^https?$/ })
      .max(1000)
      .optional(),
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
    answeredAt: z.iso.datetime().nullable(),
    endedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Call' });
