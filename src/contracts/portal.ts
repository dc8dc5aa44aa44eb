import { z } from 'zod';
import { TICKET_STATUSES } from '../core/tickets/types.js';

// The customer portal's requests and answers (/api/portal/v1). Customers see their own requests and
// the public conversation only: no internal notes, no staff names.

export const PortalPhone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 -]{7,20}$/, 'a phone number');

export const PortalCodeRequest = z.strictObject({ phone: PortalPhone }).meta({ id: 'PortalCodeRequest' });

export const PortalSignIn = z
  .strictObject({ phone: PortalPhone, code: z.string().regex(/^\d{6}$/, 'six digits') })
  .meta({ id: 'PortalSignIn' });

export const PortalLinkSignIn = z.strictObject({ token: z.string().min(10).max(300) }).meta({ id: 'PortalLinkSignIn' });

export const PortalSessionView = z
  .object({
    csrfToken: z.string(),
    phone: z.string().nullable().describe('Masked'),
    ticketId: z.uuid().nullable().describe('Set when signed in by a link: only this ticket'),
  })
  .meta({ id: 'PortalSession' });

export const PortalCategory = z
  .object({
    id: z.uuid(),
    type: z.string().nullable(),
    nameZh: z.string(),
    nameEn: z.string(),
    parentId: z.uuid().nullable(),
  })
  .meta({ id: 'PortalCategory' });

export const PortalTicketSummary = z
  .object({
    id: z.uuid(),
    number: z.string(),
    type: z.string(),
    subject: z.string(),
    status: z.enum(TICKET_STATUSES),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'PortalTicketSummary' });

export const PortalTimelineEntry = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('message'),
      fromCustomer: z.boolean(),
      bodyHtml: z.string(),
      channel: z.string(),
      at: z.iso.datetime(),
    }),
    z.object({ kind: z.literal('status'), status: z.string(), at: z.iso.datetime() }),
  ])
  .meta({ id: 'PortalTimelineEntry' });

export const PortalTicket = PortalTicketSummary.extend({
  description: z.string(),
  canConfirm: z.boolean().describe('Resolved: the customer may confirm or say it is not solved'),
  canReopen: z.boolean(),
  timeline: z.array(PortalTimelineEntry),
}).meta({ id: 'PortalTicket' });

export const PortalIdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });

export const PortalTicketCreate = z
  .strictObject({
    type: z.enum(['complaint', 'fault', 'service_request', 'inquiry']),
    categoryId: z.uuid().optional(),
    description: z.string().trim().min(5, 'Please describe the problem in a few words').max(5000),
    contactNumber: PortalPhone.optional(),
  })
  .meta({ id: 'PortalTicketCreate' });

export const PortalTicketCreated = z.object({ id: z.uuid(), number: z.string() }).meta({ id: 'PortalTicketCreated' });

export const PortalMessageCreate = z
  .strictObject({ body: z.string().trim().min(1).max(5000) })
  .meta({ id: 'PortalMessageCreate' });

export const PortalAttachmentView = z
  .object({ id: z.uuid(), fileName: z.string(), size: z.number().int() })
  .meta({ id: 'PortalAttachment' });

export const PortalConfirm = z
  .strictObject({ solved: z.boolean(), comment: z.string().trim().max(2000).optional() })
  .meta({ id: 'PortalConfirm' });
