import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config.js';
import { errorResponses } from '../../contracts/common.js';
import {
  ChannelParams,
  ChannelSettingsView,
  IntakeQueueBody,
  PriorityWeightsBody,
  PriorityWeightsView,
} from '../../contracts/directory.js';
import {
  readIntakeQueues,
  readPriorityWeights,
  resetIntakeQueue,
  resetPriorityWeights,
  setIntakeQueue,
  setPriorityWeights,
} from '../../usecases/admin/settings.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

/** A URL's host only: never its user, password, path or query (which may carry secrets). */
const hostOf = (url: string | undefined): string | null => {
  if (!url) return null;
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
};

/** What the environment configures for the channels, as yes/no and host names: never a secret. */
export function environmentSummary(config: Config) {
  return {
    webhookSecrets: Object.fromEntries(
      (['sms', 'wechat', 'app', 'hotline'] as const).map((c) => [c, Boolean(config.webhookSecrets[c])]),
    ),
    outboundGateways: Object.fromEntries(
      (['sms', 'wechat', 'app'] as const).map((c) => [c, hostOf(config.outboundWebhooks[c])]),
    ),
    outboundSecretSet: Boolean(config.outboundSecret),
    smtpRelay: hostOf(config.smtp.relayUrl),
    smtpListener: config.smtp.port !== undefined ? { host: config.smtp.host, port: config.smtp.port } : null,
    imap: config.imap?.mailbox.host ?? null,
    mailFrom: config.smtp.from,
    publicUrl: config.publicUrl,
  };
}

/** Settings the admin console keeps in the database: priority weights, each channel's intake queue. */
export function adminSettingsRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/settings/priority-weights',
    {
      schema: {
        tags: ['settings'],
        summary: 'The priority weights in force and where they come from (admin)',
        response: { 200: PriorityWeightsView, ...errorResponses },
      },
    },
    async (request) => readPriorityWeights(deps, requireActor(request)),
  );
  r.put(
    '/api/v1/settings/priority-weights',
    {
      schema: {
        tags: ['settings'],
        summary:
          'Set the weights of grade, type and customer tier and the P1–P3 thresholds (admin); new tickets, edits and escalations use them',
        body: PriorityWeightsBody,
        response: { 200: PriorityWeightsView, ...errorResponses },
      },
    },
    async (request) => setPriorityWeights(deps, requireActor(request), request.body),
  );
  r.delete(
    '/api/v1/settings/priority-weights',
    {
      schema: {
        tags: ['settings'],
        summary: 'Go back to the environment’s weights (LOOPDESK_PRIORITY_WEIGHTS, or the handbook defaults) (admin)',
        response: { 200: PriorityWeightsView, ...errorResponses },
      },
    },
    async (request) => resetPriorityWeights(deps, requireActor(request)),
  );

  r.get(
    '/api/v1/settings/channels',
    {
      schema: {
        tags: ['settings'],
        summary:
          'Each channel’s intake queue, and what the environment configures (secrets and relays as yes/no and host only) (admin)',
        response: { 200: ChannelSettingsView, ...errorResponses },
      },
    },
    async (request) => ({
      channels: await readIntakeQueues(deps, requireActor(request)),
      environment: environmentSummary(deps.config),
    }),
  );
  r.put(
    '/api/v1/settings/channels/:channel/intake-queue',
    {
      schema: {
        tags: ['settings'],
        summary: 'The team that takes in this channel’s tickets no routing rule places (admin)',
        params: ChannelParams,
        body: IntakeQueueBody,
        response: { 200: ChannelSettingsView, ...errorResponses },
      },
    },
    async (request) => ({
      channels: await setIntakeQueue(deps, requireActor(request), request.params.channel, request.body.teamId),
      environment: environmentSummary(deps.config),
    }),
  );
  r.delete(
    '/api/v1/settings/channels/:channel/intake-queue',
    {
      schema: {
        tags: ['settings'],
        summary: 'Go back to the environment’s intake queue for this channel (LOOPDESK_INTAKE_QUEUES) (admin)',
        params: ChannelParams,
        response: { 200: ChannelSettingsView, ...errorResponses },
      },
    },
    async (request) => ({
      channels: await resetIntakeQueue(deps, requireActor(request), request.params.channel),
      environment: environmentSummary(deps.config),
    }),
  );
}
