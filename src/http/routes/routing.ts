import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParams } from '../../contracts/common.js';
import {
  AgentProfileBody,
  AgentView,
  Certification,
  DryRunBody,
  DryRunResult,
  PresenceBody,
  QueueMembers,
  QueueSettings,
  RoutingRuleBody,
  RoutingRuleEdit,
  RoutingRuleList,
  RoutingRuleSet,
  RuleOrder,
  RuleParams,
} from '../../contracts/routing.js';
import {
  listAgents,
  saveProfile,
  setCertifications,
  setPresence,
  setQueueMembers,
  setQueueStrategy,
} from '../../usecases/routing/agents.js';
import {
  deleteRule,
  dryRun,
  listRules,
  reorderRules,
  replaceRules,
  saveRule,
} from '../../usecases/routing/routing-rules.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const NoContent = { 204: z.null(), ...errorResponses };

/** Routing rules, the people assignment chooses from, and queue settings. */
export function routingRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/routing/rules',
    {
      schema: {
        tags: ['routing'],
        summary: 'The ordered routing rule set',
        response: { 200: z.object({ rules: z.array(RoutingRuleBody) }), ...errorResponses },
      },
    },
    async (request) => {
      requireActor(request);
      return { rules: await listRules(deps) };
    },
  );
  r.put(
    '/api/v1/routing/rules',
    {
      schema: {
        tags: ['routing'],
        summary:
          'Replace the rule set (admin); list order is evaluation order. Every queue, grade, category and SLA policy named must exist.',
        body: RoutingRuleSet,
        response: NoContent,
      },
    },
    async (request, reply) => {
      await replaceRules(deps, requireActor(request), request.body.rules);
      return reply.status(204).send(null);
    },
  );
  r.put(
    '/api/v1/routing/rules/:id',
    {
      schema: {
        tags: ['routing'],
        summary:
          'Create or change one rule (admin): a changed rule keeps its place, a new one goes last. Answers the whole ordered set.',
        params: RuleParams,
        body: RoutingRuleEdit,
        response: { 200: RoutingRuleList, ...errorResponses },
      },
    },
    async (request) => ({
      rules: await saveRule(deps, requireActor(request), { ...request.body, id: request.params.id }),
    }),
  );
  r.delete(
    '/api/v1/routing/rules/:id',
    {
      schema: {
        tags: ['routing'],
        summary: 'Delete one rule (admin)',
        params: RuleParams,
        response: NoContent,
      },
    },
    async (request, reply) => {
      await deleteRule(deps, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  r.put(
    '/api/v1/routing/rule-order',
    {
      schema: {
        tags: ['routing'],
        summary:
          'Put the rules in a new evaluation order, atomically (admin). The list must name every current rule once (409 routing.order_stale otherwise).',
        body: RuleOrder,
        response: { 200: RoutingRuleList, ...errorResponses },
      },
    },
    async (request) => ({ rules: await reorderRules(deps, requireActor(request), request.body.ids) }),
  );
  r.post(
    '/api/v1/routing/dry-run',
    {
      schema: {
        tags: ['routing'],
        summary:
          'What the rules (or a candidate rule set) would do with an existing or imagined ticket; changes nothing',
        body: DryRunBody,
        response: { 200: DryRunResult, ...errorResponses },
      },
    },
    async (request) => dryRun(deps, requireActor(request), request.body),
  );

  r.get(
    '/api/v1/agents',
    {
      schema: {
        tags: ['agents'],
        summary: 'People who take tickets, with presence, load, queues and certifications',
        response: { 200: z.object({ items: z.array(AgentView) }), ...errorResponses },
      },
    },
    async (request) => {
      requireActor(request);
      return { items: await listAgents(deps) };
    },
  );
  r.put(
    '/api/v1/agents/:id/profile',
    {
      schema: {
        tags: ['agents'],
        summary: 'Set tier, skills and capacity (supervisor, admin)',
        params: IdParams,
        body: AgentProfileBody,
        response: NoContent,
      },
    },
    async (request, reply) => {
      await saveProfile(deps, requireActor(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );
  r.put(
    '/api/v1/agents/:id/certifications',
    {
      schema: {
        tags: ['agents'],
        summary: 'Replace the certifications held (supervisor, admin)',
        params: IdParams,
        body: z.strictObject({ items: z.array(Certification).max(50) }),
        response: NoContent,
      },
    },
    async (request, reply) => {
      await setCertifications(deps, requireActor(request), request.params.id, request.body.items);
      return reply.status(204).send(null);
    },
  );
  r.put(
    '/api/v1/me/presence',
    {
      schema: {
        tags: ['agents'],
        summary: 'Go online, away or offline; going online picks up waiting tickets at once',
        body: PresenceBody,
        response: NoContent,
      },
    },
    async (request, reply) => {
      await setPresence(deps, requireActor(request), request.body.presence);
      return reply.status(204).send(null);
    },
  );
  r.put(
    '/api/v1/teams/:id/members',
    {
      schema: {
        tags: ['agents'],
        summary: 'Replace who works this queue besides the team’s own staff (supervisor, admin)',
        params: IdParams,
        body: QueueMembers,
        response: NoContent,
      },
    },
    async (request, reply) => {
      await setQueueMembers(deps, requireActor(request), request.params.id, request.body.staffIds);
      return reply.status(204).send(null);
    },
  );
  r.put(
    '/api/v1/teams/:id/assignment',
    {
      schema: {
        tags: ['agents'],
        summary:
          'How waiting tickets of this queue find an agent: manual, round_robin or least_loaded (supervisor, admin)',
        params: IdParams,
        body: QueueSettings,
        response: NoContent,
      },
    },
    async (request, reply) => {
      await setQueueStrategy(deps, requireActor(request), request.params.id, request.body.assignmentStrategy);
      return reply.status(204).send(null);
    },
  );
}
