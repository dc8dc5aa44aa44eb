import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkSignature, SIGNATURE_HEADER } from '../../core/channels/webhook-signature.js';
import { AppError } from '../../core/errors/app-error.js';
import { InboundMessage, InboundResult, WEBHOOK_CHANNELS } from '../../contracts/channels.js';
import { CallEvent, CallView } from '../../contracts/calls.js';
import { errorResponses } from '../../contracts/common.js';
import { linkCallToTicket, readCall, recordCallEvent } from '../../usecases/channels/record-call.js';
import { requireActor } from '../auth.js';
import { receiveChannelMessage } from '../../usecases/channels/receive-channel-message.js';
import type { RouteDeps } from './route-deps.js';

const WEBHOOK_BODY_LIMIT = 256 * 1024;
const rawBodies = new WeakMap<FastifyRequest, Buffer>();

/**
 * Inbound SMS, WeChat/mini-program and app messages, pushed by the channel gateways. Each request
 * is HMAC-signed with the channel's secret (see core/channels/webhook-signature.ts), checked on
 * the exact bytes received before anything else happens.
 */
export async function channelRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  await app.register(async (scope) => {
    // This scope parses JSON itself so the signature can be checked on the raw bytes.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (request, body, done) => {
      rawBodies.set(request, body as Buffer);
      try {
        done(null, JSON.parse((body as Buffer).toString('utf8')));
      } catch {
        done(new AppError('request.invalid', 'The body is not valid JSON'), undefined);
      }
    });

    scope.withTypeProvider<ZodTypeProvider>().post(
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
        preValidation: async (request) => verify(request, (request.params as { channel: SignedChannel }).channel),
      },
      async (request, reply) => {
        const result = await receiveChannelMessage(deps, request.params.channel, request.body);
        return reply.status(result.duplicate ? 200 : 201).send(result);
      },
    );

    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/channels/hotline/calls',
      {
        schema: {
          tags: ['channels'],
          summary: 'Receive a call event from the telephony system (CTI); signed like the message webhooks',
          description:
            'started / answered / ended, with caller number, answering agent, IVR path and recording URL. Repeats are harmless. ' +
            'When a call from a known number is answered, the agent’s open desk receives a `call` event with the customer and their open tickets. ' +
            'With `ticketNumber`, the call is attached to that ticket’s timeline.',
          body: CallEvent,
          response: { 200: CallView, ...errorResponses },
        },
        preValidation: async (request) => verify(request, 'hotline'),
      },
      async (request) => recordCallEvent(deps, request.body),
    );
  });

  type SignedChannel = keyof RouteDeps['config']['webhookSecrets'];
  function verify(request: FastifyRequest, channel: SignedChannel) {
    const secret = deps.config.webhookSecrets[channel];
    if (!secret) throw new AppError('webhook.channel_disabled', `The ${channel} channel is not configured on this server`);
    const header = request.headers[SIGNATURE_HEADER];
    const check = checkSignature(secret, typeof header === 'string' ? header : undefined, rawBodies.get(request) ?? Buffer.alloc(0), deps.clock.now());
    if (check === 'stale') throw new AppError('webhook.stale_timestamp', 'The signature timestamp is more than 5 minutes away from our clock');
    if (check !== 'ok') throw new AppError('webhook.bad_signature', 'Missing or wrong X-Loopdesk-Signature');
  }

  const r = app.withTypeProvider<ZodTypeProvider>();
  const CallParams = z.strictObject({ callId: z.string().min(1).max(200) });
  r.get(
    '/api/v1/calls/:callId',
    { schema: { tags: ['channels'], summary: 'A hotline call: caller’s customer, open tickets, recording', params: CallParams, response: { 200: CallView, ...errorResponses } } },
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
}
