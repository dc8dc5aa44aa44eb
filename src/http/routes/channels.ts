import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkSignature, SIGNATURE_HEADER } from '../../core/channels/webhook-signature.js';
import { AppError } from '../../core/errors/app-error.js';
import { InboundMessage, InboundResult, WEBHOOK_CHANNELS } from '../../contracts/channels.js';
import { CallEvent, CallView } from '../../contracts/calls.js';
import { errorResponses, IdParams, PageQuery, pageOf } from '../../contracts/common.js';
import { maskRecipient } from '../../core/privacy/masking.js';
import { maskDeliveryError } from '../../presenters/deliveries.js';
import { listOutbox, OUTBOX_STATES, retryOutbox, type OutboxState } from '../../usecases/channels/outbound.js';
import {
  pageQuarantinedMail,
  openQuarantinedMail,
  retryQuarantinedMail,
} from '../../usecases/channels/quarantined-mail.js';
import { linkCallToTicket, readCall, recordCallEvent } from '../../usecases/channels/record-call.js';
import { requireActor } from '../auth.js';
import { receiveChannelMessage } from '../../usecases/channels/receive-channel-message.js';
import type { RouteDeps } from './route-deps.js';

const WEBHOOK_BODY_LIMIT = 256 * 1024;
type SignedChannel = keyof RouteDeps['config']['webhookSecrets'];
const SIGNED_CHANNELS: readonly string[] = [...WEBHOOK_CHANNELS, 'hotline'] satisfies SignedChannel[];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The channel whose secret signs this webhook; otherwise the route's `:channel`. */
    signedBy?: SignedChannel;
  }
}

/**
 * The channel webhooks' one authentication hook, for every route of the scope it is added to: an
 * HMAC signature with the channel's secret (see core/channels/webhook-signature.ts), checked on the
 * exact bytes received before the body is parsed, validated or used. Only JSON is taken.
 */
export function requireSignature(scope: FastifyInstance, deps: RouteDeps): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
    (_r, raw, done) => done(null, raw),
  );
  scope.addHook('preValidation', async (request) => {
    const channel = request.routeOptions.config.signedBy ?? (request.params as { channel?: string }).channel ?? '';
    const secret = SIGNED_CHANNELS.includes(channel) ? deps.config.webhookSecrets[channel as SignedChannel] : undefined;
    if (!secret)
      throw new AppError('webhook.channel_disabled', `The ${channel} channel is not configured on this server`);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = request.headers[SIGNATURE_HEADER];
    const check = checkSignature(secret, typeof header === 'string' ? header : undefined, raw, deps.clock.now());
    if (check === 'stale')
      throw new AppError(
        'webhook.stale_timestamp',
        'The signature timestamp is more than 5 minutes away from our clock',
      );
    if (check !== 'ok') throw new AppError('webhook.bad_signature', 'Missing or wrong X-Loopdesk-Signature');
    try {
      request.body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError('request.invalid', 'The body is not valid JSON');
    }
  });
}

/** Inbound SMS, WeChat/mini-program and app messages and hotline call events, pushed by the gateways. */
export function webhookRoutes(scope: FastifyInstance, deps: RouteDeps): void {
  const r = scope.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/channels/:channel/messages',
    {
      schema: {
        tags: ['channels'],
        summary: 'Receive a customer message from SMS, WeChat or the app (HMAC-signed; idempotent by messageId)',
        description:
          'Sign with the channel secret: header `X-Loopdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. ' +
          'Requests older than 5 minutes are refused. 201: accepted now; 200: this messageId was accepted before (nothing changed).',
        params: z.strictObject({ channel: z.enum(WEBHOOK_CHANNELS) }),
        body: InboundMessage,
        response: { 200: InboundResult, 201: InboundResult, ...errorResponses, 413: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const result = await receiveChannelMessage(deps, request.params.channel, request.body);
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );

  r.post(
    '/api/v1/channels/hotline/calls',
    {
      config: { signedBy: 'hotline' },
      schema: {
        tags: ['channels'],
        summary: 'Receive a call event from the telephony system (CTI); signed like the message webhooks',
        description:
          'started / offered / queued / answered / abandoned / ended, with caller number, answering agent, IVR path, recording URL, and the ACD’s queue (or skill) and wait. ' +
          'Each kind of event counts once per call (a retry or a late duplicate changes nothing; out-of-order events are fine) and the call’s figures in its 15-minute interval follow in the same transaction. ' +
          'When a call from a known number is answered, the agent’s open desk receives a `call` event with the customer and their open tickets. ' +
          'With `ticketNumber`, the call is attached to that ticket’s timeline.',
        body: CallEvent,
        response: { 200: CallView, ...errorResponses },
      },
    },
    async (request) => recordCallEvent(deps, request.body),
  );
}

/** Calls and outbound messages, for staff. */
export function channelRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const CallParams = z.strictObject({ callId: z.string().min(1).max(200) });
  r.get(
    '/api/v1/calls/:callId',
    {
      schema: {
        tags: ['channels'],
        summary: 'A hotline call: caller’s customer, open tickets, recording',
        params: CallParams,
        response: { 200: CallView, ...errorResponses },
      },
    },
    async (request) => readCall(deps, requireActor(request), request.params.callId),
  );
  r.post(
    '/api/v1/calls/:callId/ticket',
    {
      schema: {
        tags: ['channels'],
        summary: 'Attach a call (and its recording) to a ticket',
        params: CallParams,
        body: z.strictObject({ ticketId: z.uuid() }),
        response: { 200: CallView, ...errorResponses },
      },
    },
    async (request) => linkCallToTicket(deps, requireActor(request), request.params.callId, request.body.ticketId),
  );

  const OutboxView = z
    .object({
      id: z.uuid(),
      channel: z.string(),
      recipient: z.string().describe('Masked'),
      ticketId: z.uuid().nullable(),
      state: z.enum(OUTBOX_STATES).describe('logged: only written to the log (no gateway or relay configured)'),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      nextAttemptAt: z.iso.datetime(),
      createdAt: z.iso.datetime(),
      sentAt: z.iso.datetime().nullable(),
    })
    .meta({ id: 'OutboundMessage' });
  r.get(
    '/api/v1/outbox',
    {
      schema: {
        tags: ['channels'],
        summary: 'Outbound messages by state; `dead` is the dead-letter list (supervisor, admin)',
        querystring: z.strictObject({
          state: z.enum(OUTBOX_STATES).default('dead'),
          ...PageQuery,
        }),
        response: { 200: pageOf(OutboxView), ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const page = await listOutbox(deps, requireActor(request), query.state, query.limit, query.cursor);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((o) => ({
          id: o.id,
          channel: o.channel,
          recipient: maskRecipient(o.recipient),
          ticketId: o.ticketId,
          state: o.state as OutboxState,
          attempts: o.attempts,
          lastError: o.lastError ? maskDeliveryError(o.lastError, o.recipient) : null,
          nextAttemptAt: o.nextAttemptAt.toISOString(),
          createdAt: o.createdAt.toISOString(),
          sentAt: o.sentAt?.toISOString() ?? null,
        })),
      };
    },
  );
  r.post(
    '/api/v1/outbox/:id/retry',
    {
      schema: {
        tags: ['channels'],
        summary: 'Give a dead message a fresh set of delivery attempts',
        params: IdParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await retryOutbox(deps, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

/** Mail the intake could not use: why, who sent it, the raw message, and retry. */
export function quarantineRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['channels'];
  const QuarantinedView = z
    .object({
      id: z.uuid(),
      reason: z.string(),
      envelopeFrom: z.string().nullable().describe('Masked'),
      size: z.number().int(),
      receivedAt: z.iso.datetime(),
      retriedAt: z.iso.datetime().nullable(),
      resolvedTicketId: z.uuid().nullable(),
    })
    .meta({ id: 'QuarantinedMail' });
  r.get(
    '/api/v1/quarantined-mail',
    {
      schema: {
        tags,
        summary:
          'Mail that was quarantined (malformed, oversized, unparseable, suspected loop), newest first (supervisor, admin)',
        querystring: z.strictObject({
          all: z.enum(['true', 'false']).default('false').describe('true: include mail already taken in'),
          ...PageQuery,
        }),
        response: { 200: pageOf(QuarantinedView), ...errorResponses },
      },
    },
    async (request) => {
      const page = await pageQuarantinedMail(deps, requireActor(request), {
        unresolvedOnly: request.query.all !== 'true',
        limit: request.query.limit,
        cursor: request.query.cursor,
      });
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((m) => ({
          id: m.id,
          reason: maskDeliveryError(m.reason, m.envelopeFrom),
          envelopeFrom: m.envelopeFrom ? maskRecipient(m.envelopeFrom) : null,
          size: m.size,
          receivedAt: m.receivedAt.toISOString(),
          retriedAt: m.retriedAt?.toISOString() ?? null,
          resolvedTicketId: m.resolvedTicketId,
        })),
      };
    },
  );
  r.get(
    '/api/v1/quarantined-mail/:id/raw',
    {
      schema: {
        tags,
        summary: 'The raw message (message/rfc822) as received',
        params: IdParams,
        produces: ['message/rfc822'],
        response: { 200: z.any().describe('message/rfc822'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { stream } = await openQuarantinedMail(deps, requireActor(request), request.params.id);
      return reply
        .type('message/rfc822')
        .header('content-disposition', `attachment; filename="${request.params.id}.eml"`)
        .send(stream);
    },
  );
  r.post(
    '/api/v1/quarantined-mail/:id/retry',
    {
      schema: {
        tags,
        summary: 'Take the mail in again (after the cause was fixed, or to let a suspected loop through)',
        params: IdParams,
        response: {
          200: z.object({
            outcome: z.enum(['accepted', 'recorded', 'dropped', 'still_quarantined', 'already_resolved']),
            ticketId: z.uuid().nullable().optional(),
            ticketNumber: z.string().optional(),
            created: z.boolean().optional(),
            reason: z.string().optional(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => retryQuarantinedMail(deps, requireActor(request), request.params.id),
  );
}
