import { z } from 'zod';
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
    }),
    csrfToken: z.string().describe('Send as the X-CSRF-Token header on every write'),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'Session' });
