import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors/app-error.js';
import { errorResponses, IdParams, pageOf } from '../../contracts/common.js';
import {
  AssignBody,
  AttachmentView,
  MessageCreate,
  MessageView,
  TicketCreate,
  TicketListQuery,
  TicketSummary,
  TicketUpdate,
  TicketView,
  TimelineEvent,
  TransitionBody,
  ConfirmationBody,
  ClassificationSuggestionView,
  ClassificationText,
} from '../../contracts/tickets.js';
import { presentMessage } from '../../presenters/messages.js';
import type { Actor } from '../../core/auth/policy.js';
import { presentTicket, presentTicketSummary } from '../../presenters/tickets.js';
import { presentTimeline } from '../../presenters/timeline.js';
import { listAttachments, openAttachment, uploadAttachment } from '../../usecases/attachments/attachments.js';
import { addMessage } from '../../usecases/tickets/add-message.js';
import { assignTicket } from '../../usecases/tickets/assign-ticket.js';
import { listAssignees, listBlockedAssignees } from '../../usecases/tickets/list-assignees.js';
import { AssigneeList, BlockedAssignees, BlockedAssigneesQuery } from '../../contracts/routing.js';
import { createTicket } from '../../usecases/tickets/create-ticket.js';
import { listTickets } from '../../usecases/tickets/list-tickets.js';
import { countQueues } from '../../usecases/tickets/queue-counts.js';
import { readTicketFor, ticketPageFor } from '../../usecases/tickets/load-ticket.js';
import { readMessages, readTimeline } from '../../usecases/tickets/read-ticket-history.js';
import { recordCustomerConfirmation, transitionTicket } from '../../usecases/tickets/transition-ticket.js';
import { updateTicket } from '../../usecases/tickets/update-ticket.js';
import { DEFAULT_APPLY_AT, suggestForTicketText, suggestFromText } from '../../usecases/tickets/classify.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';
import { presentAttachment } from '../../presenters/attachments.js';

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe('Send the same key when retrying: the retry returns the ticket the first request created'),
});

/** A ticket as the API shows it, to someone who may read it (404 otherwise). */
export async function ticketViewFor(deps: RouteDeps, actor: Actor, id: string) {
  return presentTicket(await readTicketFor(deps.db, actor, id, deps.clock.now()), actor);
}

export function ticketRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const view = (actor: Actor, id: string) => ticketViewFor(deps, actor, id);

  r.post(
    '/api/v1/tickets/classification-suggestions',
    {
      schema: {
        tags: ['tickets'],
        summary:
          'Suggest a type, up to three categories and a grade for a text, from category keywords and similar resolved tickets (jieba words); the agent accepts or corrects',
        body: ClassificationText,
        response: { 200: ClassificationSuggestionView, ...errorResponses },
      },
    },
    async (request) => {
      requireActor(request);
      const { subject, description } = request.body;
      return {
        suggestion: await suggestFromText(deps.db, deps, `${subject}\n${description}`),
        applyAt: deps.classifyApplyAt ?? DEFAULT_APPLY_AT,
      };
    },
  );
  r.get(
    '/api/v1/tickets/:id/classification-suggestion',
    {
      schema: {
        tags: ['tickets'],
        summary: "The suggested classification for a ticket's subject and description",
        params: IdParams,
        response: { 200: ClassificationSuggestionView, ...errorResponses },
      },
    },
    async (request) => ({
      suggestion: await suggestForTicketText(deps, requireActor(request), request.params.id),
      applyAt: deps.classifyApplyAt ?? DEFAULT_APPLY_AT,
    }),
  );
  r.get(
    '/api/v1/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary: 'List tickets the caller may see, filtered and cursor-paginated',
        querystring: TicketListQuery,
        response: { 200: pageOf(TicketSummary), ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { rows, nextCursor } = await listTickets(deps, actor, request.query);
      return { items: rows.map((row) => presentTicketSummary(row, actor)), nextCursor };
    },
  );

  r.get(
    '/api/v1/tickets/counts',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Open tickets per saved view (mine, unassigned, breached, due soon, VIP) and per queue',
        response: {
          200: z.object({
            views: z.object({
              all: z.number().int(),
              mine: z.number().int(),
              unassigned: z.number().int(),
              breached: z.number().int(),
              due_soon: z.number().int(),
              vip: z.number().int(),
            }),
            teams: z
              .array(z.object({ teamId: z.uuid(), name: z.string(), open: z.number().int() }))
              .describe('The queues the caller may open (restricted ones only for those who may read them)'),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => countQueues(deps, requireActor(request)),
  );

  r.post(
    '/api/v1/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Create a ticket; the caller becomes its first-contact owner',
        headers: IdempotencyHeaders,
        body: TicketCreate,
        response: { 200: TicketView, 201: TicketView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const created = await createTicket(deps, actor, request.body, request.headers['idempotency-key']);
      if (created.replayed) {
        reply.header('idempotent-replayed', 'true');
        return reply.status(200).send(await view(actor, created.ticketId));
      }
      // The new ticket's page came with its insert: no query for it.
      return reply.status(201).send(presentTicket(await ticketPageFor(deps.db, actor, created.detail), actor));
    },
  );

  r.get(
    '/api/v1/tickets/assignees',
    {
      schema: {
        tags: ['tickets'],
        summary:
          'For up to 100 tickets (comma-separated ids), the people a supervisor may not assign each to and the certifications they lack; tickets the caller may not assign are left out',
        querystring: BlockedAssigneesQuery,
        response: { 200: BlockedAssignees, ...errorResponses },
      },
    },
    async (request) => listBlockedAssignees(deps, requireActor(request), request.query.ids),
  );
  r.get(
    '/api/v1/tickets/:id/assignees',
    {
      schema: {
        tags: ['tickets'],
        summary:
          'Whom a supervisor may assign this ticket to: every person who takes tickets, with the certifications the ticket needs that each lacks (empty: assignable)',
        params: IdParams,
        response: { 200: AssigneeList, ...errorResponses },
      },
    },
    async (request) => listAssignees(deps, requireActor(request), request.params.id),
  );
  r.get(
    '/api/v1/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: 'One ticket with the moves allowed now',
        params: IdParams,
        response: { 200: TicketView, ...errorResponses },
      },
    },
    async (request) => view(requireActor(request), request.params.id),
  );

  r.patch(
    '/api/v1/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Edit classification and content (optimistic concurrency via version)',
        params: IdParams,
        body: TicketUpdate,
        response: { 200: TicketView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await updateTicket(deps, actor, request.params.id, request.body);
      return view(actor, request.params.id);
    },
  );

  r.post(
    '/api/v1/tickets/:id/transitions',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Change status: start, wait_customer, wait_department, resume, resolve, close, reopen',
        params: IdParams,
        body: TransitionBody,
        response: { 200: TicketView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await transitionTicket(deps, actor, request.params.id, request.body);
      return view(actor, request.params.id);
    },
  );

  r.post(
    '/api/v1/tickets/:id/confirmation',
    {
      schema: {
        tags: ['tickets'],
        summary: "Record the customer's answer to a resolution (e.g. on the phone): solved closes, not solved reopens",
        params: IdParams,
        body: ConfirmationBody,
        response: { 200: TicketView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await recordCustomerConfirmation(deps, actor, request.params.id, request.body);
      return view(actor, request.params.id);
    },
  );

  r.post(
    '/api/v1/tickets/:id/assignment',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Assign (supervisors) or take (yourself); the first-contact owner never changes',
        params: IdParams,
        body: AssignBody,
        response: { 200: TicketView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await assignTicket(deps, actor, request.params.id, request.body);
      return view(actor, request.params.id);
    },
  );

  r.get(
    '/api/v1/tickets/:id/timeline',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Every change, oldest first (append-only)',
        params: IdParams,
        response: { 200: z.object({ items: z.array(TimelineEvent) }), ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { rows, readable } = await readTimeline(deps, actor, request.params.id);
      return { items: presentTimeline(rows, actor, readable) };
    },
  );

  r.get(
    '/api/v1/tickets/:id/messages',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Public replies and internal notes',
        params: IdParams,
        response: { 200: z.object({ items: z.array(MessageView) }), ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const rows = await readMessages(deps, actor, request.params.id);
      return {
        items: rows.map(({ message, author, delivery }) =>
          presentMessage(
            message,
            author?.id ? { id: author.id, displayName: author.displayName } : null,
            actor,
            delivery,
          ),
        ),
      };
    },
  );

  r.post(
    '/api/v1/tickets/:id/messages',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Reply to the customer (public) or add an internal note',
        params: IdParams,
        body: MessageCreate,
        response: { 201: z.object({ id: z.uuid() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = await addMessage(deps, requireActor(request), request.params.id, request.body);
      return reply.status(201).send({ id });
    },
  );

  r.get(
    '/api/v1/tickets/:id/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: 'Files on a ticket',
        params: IdParams,
        response: { 200: z.object({ items: z.array(AttachmentView) }), ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const items = await listAttachments(deps, actor, request.params.id);
      return { items: items.map((a) => presentAttachment(a, actor)) };
    },
  );

  r.post(
    '/api/v1/tickets/:id/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: 'Upload one file (multipart/form-data, field "file"); size and type limited',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: AttachmentView, 413: errorResponses[400], 415: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!request.isMultipart())
        throw new AppError('request.unsupported_media_type', 'Send the file as multipart/form-data');
      // One byte over the limit lets the storage meter see the overflow and refuse the file.
      const file = await request.file({ limits: { fileSize: deps.maxBytes + 1, files: 1 } });
      if (!file) throw new AppError('request.invalid', 'No file in the request (expected a field named "file")');
      const row = await uploadAttachment(deps, actor, request.params.id, {
        fileName: file.filename,
        contentType: file.mimetype,
        stream: file.file,
      });
      return reply.status(201).send(presentAttachment(row, actor));
    },
  );

  r.get(
    '/api/v1/attachments/:id',
    {
      schema: {
        tags: ['attachments'],
        summary: 'Download a file (access follows its ticket)',
        params: IdParams,
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const { attachment, stream } = await openAttachment(deps, requireActor(request), request.params.id);
      return reply
        .header('content-type', attachment.contentType)
        .header('content-length', attachment.size)
        .header(
          'content-disposition',
          `attachment; filename="${asciiFallback(attachment.fileName)}"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
        )
        .send(stream as never); // a byte stream; the schema lists only the error shapes
    },
  );
}

const asciiFallback = (name: string) => name.replace(/[^\x20-\x7e]|["\\]/g, '_');
