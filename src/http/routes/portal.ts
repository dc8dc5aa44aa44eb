import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParams } from '../../contracts/common.js';
import { AppError } from '../../core/errors/app-error.js';
import { maskPhone } from '../../core/privacy/masking.js';
import { canTransition } from '../../core/tickets/state-machine.js';
import { renderBody } from '../../presenters/messages.js';
import { listCategories } from '../../usecases/admin/directory.js';
import {
  endPortalSession,
  findPortalSession,
  openTicketLink,
  requestCode,
  verifyCode,
  type PortalSession,
} from '../../usecases/portal/portal-auth.js';
import {
  attachAsCustomer,
  confirmResolution,
  listMyTickets,
  readMyTicket,
  replyAsCustomer,
  submitTicket,
} from '../../usecases/portal/portal-tickets.js';
import {
  PortalAttachmentView,
  PortalCategory,
  PortalCodeRequest,
  PortalConfirm,
  PortalIdempotencyHeaders,
  PortalLinkSignIn,
  PortalMessageCreate,
  PortalSessionView,
  PortalSignIn,
  PortalTicket,
  PortalTicketCreate,
  PortalTicketCreated,
  PortalTicketSummary,
} from '../../contracts/portal.js';
import { csrfRefused, SAFE_METHODS } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

// The customer portal's API. Customers have their own cookie and sessions, never a staff session;
// every write with the cookie carries the session's CSRF token like the desk does.

export const PORTAL_COOKIE = 'loopdesk_portal';

declare module 'fastify' {
  interface FastifyRequest {
    portal: PortalSession | null;
  }
}

const tags = ['portal'];

/** Public: asking for a code and signing in (by code or by a notification's link) need no session. */
export function portalSignInRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const startSession = (reply: FastifyReply, session: { token: string; csrfToken: string }) =>
    reply.setCookie(PORTAL_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.cookieSecure,
      path: '/',
      maxAge: 2 * 3600,
    });
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/portal/v1/codes',
    {
      schema: {
        tags,
        summary: 'Send a one-time sign-in code by SMS (limited: 1 a minute and 5 an hour per number)',
        security: [],
        body: PortalCodeRequest,
        response: { 202: z.null(), ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request, reply) => {
      await requestCode(deps, { msisdn: request.body.phone, ip: request.ip });
      return reply.status(202).send(null);
    },
  );
  r.post(
    '/api/portal/v1/session',
    {
      schema: {
        tags,
        summary: 'Sign in with the phone number and the code (5 tries per code)',
        security: [],
        body: PortalSignIn,
        response: { 200: PortalSessionView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await verifyCode(deps, { msisdn: request.body.phone, code: request.body.code });
      startSession(reply, session);
      return { csrfToken: session.csrfToken, phone: maskPhone(request.body.phone.replace(/\D/g, '')), ticketId: null };
    },
  );
  r.post(
    '/api/portal/v1/link',
    {
      schema: {
        tags,
        summary: 'Open the signed link sent with a notification (that ticket only, 7 days)',
        security: [],
        body: PortalLinkSignIn,
        response: { 200: PortalSessionView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await openTicketLink(deps, request.body.token);
      startSession(reply, session);
      return { csrfToken: session.csrfToken, phone: null, ticketId: session.ticketId };
    },
  );
}

/**
 * The portal API's one authentication hook, for every route of the scope it is added to: a portal
 * session cookie, and on every write its CSRF token. Checked before the body is read or validated.
 */
export function requirePortalSession(scope: FastifyInstance, deps: RouteDeps): void {
  scope.decorateRequest('portal', null);
  scope.addHook('onRequest', async (request) => {
    const token = request.cookies[PORTAL_COOKIE];
    request.portal = token ? await findPortalSession(deps, token) : null;
    if (!request.portal) throw new AppError('auth.required', 'Sign in with your phone number first');
    if (!SAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== request.portal.csrfToken)
      throw csrfRefused('reload the page');
  });
}

/** Portal scope: everything a signed-in customer does, bound to that customer. */
export function portalRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const customer = (request: FastifyRequest): PortalSession => {
    if (!request.portal) throw new AppError('auth.required', 'Sign in with your phone number first');
    return request.portal;
  };
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/portal/v1/session',
    {
      schema: {
        tags,
        summary: 'The signed-in customer and the CSRF token',
        response: { 200: PortalSessionView, ...errorResponses },
      },
    },
    async (request) => {
      const s = customer(request);
      return { csrfToken: s.csrfToken, phone: s.msisdn ? maskPhone(s.msisdn) : null, ticketId: s.scopeTicketId };
    },
  );
  r.delete(
    '/api/portal/v1/session',
    { schema: { tags, summary: 'Sign out', response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      customer(request);
      await endPortalSession(deps, request.cookies[PORTAL_COOKIE]!);
      reply.clearCookie(PORTAL_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/portal/v1/categories',
    {
      schema: {
        tags,
        summary: 'Categories a customer can choose',
        response: {
          200: z.object({ items: z.array(PortalCategory) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      customer(request);
      return {
        items: (await listCategories(deps)).map((c) => ({
          id: c.id,
          type: c.ticketType,
          nameZh: c.nameZh,
          nameEn: c.nameEn,
          parentId: c.parentId,
        })),
      };
    },
  );
  r.get(
    '/api/portal/v1/tickets',
    {
      schema: {
        tags,
        summary: 'My requests, newest first',
        response: { 200: z.object({ items: z.array(PortalTicketSummary) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: (await listMyTickets(deps, customer(request))).map((t) => ({
        ...t,
        createdAt: t.createdAt.toISOString(),
        updatedAt: t.updatedAt.toISOString(),
      })),
    }),
  );
  r.post(
    '/api/portal/v1/tickets',
    {
      schema: {
        tags,
        summary:
          'Submit a complaint, fault report, request or question; send an Idempotency-Key so a retry cannot submit twice',
        headers: PortalIdempotencyHeaders,
        body: PortalTicketCreate,
        response: {
          201: PortalTicketCreated,
          200: PortalTicketCreated,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const result = await submitTicket(deps, customer(request), request.body, request.headers['idempotency-key']);
      return reply.status(result.replayed ? 200 : 201).send({ id: result.ticketId, number: result.number });
    },
  );
  r.get(
    '/api/portal/v1/tickets/:id',
    {
      schema: {
        tags,
        summary: 'One of my requests: status and the public conversation',
        params: IdParams,
        response: { 200: PortalTicket, ...errorResponses },
      },
    },
    async (request) => {
      const { ticket, messages, events } = await readMyTicket(deps, customer(request), request.params.id);
      const timeline = [
        ...messages.map((m) => ({
          kind: 'message' as const,
          fromCustomer: m.fromCustomer,
          bodyHtml: renderBody(m.body, m.bodyFormat),
          channel: m.channel,
          at: m.createdAt,
        })),
        ...events.map((e) => ({
          kind: 'status' as const,
          status: String(
            (e.data as { to?: string; status?: string }).to ?? (e.data as { status?: string }).status ?? 'new',
          ),
          at: e.createdAt,
        })),
      ].sort((a, b) => a.at.getTime() - b.at.getTime());
      const facts = {
        status: ticket.status,
        hasAssignee: ticket.assigneeId !== null,
        hasPublicReply: ticket.hasPublicReply,
        // The customer's own "solved" is what closes a resolved ticket.
        closeReason: 'customer_confirmed' as const,
      };
      return {
        id: ticket.id,
        number: ticket.number,
        type: ticket.type,
        subject: ticket.subject,
        status: ticket.status,
        description: ticket.description,
        createdAt: ticket.createdAt.toISOString(),
        updatedAt: ticket.updatedAt.toISOString(),
        canConfirm: canTransition('close', facts),
        canReopen: canTransition('reopen', facts),
        timeline: timeline.map((t) => ({ ...t, at: t.at.toISOString() })),
      };
    },
  );
  r.post(
    '/api/portal/v1/tickets/:id/messages',
    {
      schema: {
        tags,
        summary: 'Add to my request',
        params: IdParams,
        body: PortalMessageCreate,
        response: { 201: z.object({ id: z.uuid() }), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send({ id: await replyAsCustomer(deps, customer(request), request.params.id, request.body.body) }),
  );
  r.post(
    '/api/portal/v1/tickets/:id/attachments',
    {
      schema: {
        tags,
        summary:
          'Add a photo or document to my request (multipart/form-data, field "file"; images, PDF, Office, audio, zip)',
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: {
          201: PortalAttachmentView,
          413: errorResponses[400],
          415: errorResponses[400],
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const session = customer(request);
      if (!request.isMultipart())
        throw new AppError('request.unsupported_media_type', 'Send the file as multipart/form-data');
      const file = await request.file({ limits: { fileSize: deps.maxBytes + 1, files: 1 } });
      if (!file) throw new AppError('request.invalid', 'No file in the request (expected a field named "file")');
      const row = await attachAsCustomer(deps, session, request.params.id, {
        fileName: file.filename,
        contentType: file.mimetype,
        stream: file.file,
      });
      return reply.status(201).send({ id: row.id, fileName: row.fileName, size: row.size });
    },
  );
  r.post(
    '/api/portal/v1/tickets/:id/confirm',
    {
      schema: {
        tags,
        summary: 'After a resolution: solved (closes it) or not solved (reopens it)',
        params: IdParams,
        body: PortalConfirm,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await confirmResolution(deps, customer(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );
}
