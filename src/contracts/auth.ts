import { z } from 'zod';
import { STAFF_ABILITIES } from '../core/auth/abilities.js';
import { ROLES } from '../core/tickets/types.js';

export const LoginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const SessionView = z
  .object({
    staff: z.object({
      id: z.uuid(),
      username: z.string(),
      displayName: z.string(),
      role: z.enum(ROLES),
      teamId: z.uuid().nullable(),
      locale: z.string(),
      abilities: z
        .array(z.enum(STAFF_ABILITIES))
        .describe(
          'What the desk offers this person beyond single tickets: create_ticket, customers, reveal_pii, supervise (board, agents, reassignment), administer',
        ),
    }),
    csrfToken: z.string().describe('Send as the X-CSRF-Token header on every write'),
    expiresAt: z.iso.datetime(),
    timeZone: z
      .string()
      .describe('The installation’s time zone (LOOPDESK_TIME_ZONE): the desk writes every date and time in it'),
  })
  .meta({ id: 'Session' });
