import { z } from 'zod';
import { ROLES, TICKET_TYPES } from '../core/tickets/types.js';

const Code = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, - and _ (max 40)');

export const TeamCreate = z.strictObject({
  code: Code,
  name: z.string().trim().min(1).max(100),
  kind: z.enum(['frontline', 'expert', 'vip', 'supervisor', 'department']),
  restricted: z.boolean().default(false),
});
export const TeamView = z
  .object({ id: z.uuid(), code: z.string(), name: z.string(), kind: z.string(), restricted: z.boolean() })
  .meta({ id: 'Team' });

export const StaffCreate = z.strictObject({
  username: z.string().regex(/^[a-zA-Z0-9._-]{2,64}$/, 'letters, digits, . _ - (2 to 64)'),
  displayName: z.string().trim().min(1).max(100),
  password: z.string().min(10, 'at least 10 characters').max(256),
  role: z.enum(ROLES),
  teamId: z.uuid().nullable().default(null),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
export const StaffView = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    teamId: z.uuid().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'Staff' });

export const CategoryCreate = z.strictObject({
  code: Code,
  parentId: z.uuid().nullable().default(null),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  ticketType: z.enum(TICKET_TYPES).nullable().default(null),
  sort: z.number().int().default(0),
});
export const CategoryView = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    ticketType: z.enum(TICKET_TYPES).nullable(),
    sort: z.number().int(),
  })
  .meta({ id: 'Category' });

export const GradeCreate = z.strictObject({
  code: Code,
  nameZh: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().min(1).max(40),
  rank: z.number().int().min(0).max(100),
});
export const GradeView = GradeCreate.meta({ id: 'Grade' });

export const AccessLogEntry = z
  .object({
    id: z.number().int(),
    staff: z.object({ id: z.uuid(), displayName: z.string() }),
    customerId: z.uuid(),
    ticketId: z.uuid().nullable(),
    field: z.string(),
    reason: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AccessLogEntry' });
