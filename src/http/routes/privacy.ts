import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParams } from '../../contracts/common.js';
import {
  ConsentChange,
  ConsentsView,
  DeskPrivacyRequestCreate,
  PortalPrivacyRequest,
  PortalPrivacyRequestCreate,
  PrivacyCompleteBody,
  PrivacyRefuseBody,
  PrivacyRequestPage,
  PrivacyRequestsQuery,
  PrivacyRequestView,
  RetentionRunView,
} from '../../contracts/privacy.js';
import { AppError } from '../../core/errors/app-error.js';
import {
  presentConsents,
  presentPortalPrivacyRequest,
  presentPrivacyRequest,
  presentRetentionRun,
} from '../../presenters/privacy.js';
import type { PortalSession } from '../../usecases/portal/portal-auth.js';
import { completePrivacyRequest, refusePrivacyRequest } from '../../usecases/privacy/decide-privacy-request.js';
import { approveDeletion, previewDeletion } from '../../usecases/privacy/delete-personal-data.js';
import { changeConsent, readConsents } from '../../usecases/privacy/change-consent.js';
import { downloadPrivacyExport } from '../../usecases/privacy/download-privacy-export.js';
import { filePrivacyRequest } from '../../usecases/privacy/file-privacy-request.js';
import {
  getPrivacyRequest,
  listMyPrivacyRequests,
  listPrivacyRequests,
  listRetentionRuns,
} from '../../usecases/privacy/read-privacy-requests.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

// Personal-data rights (PIPL): the customer's requests in the portal, the privacy desk's queue.

const tags = ['privacy'];

const sendZip = (reply: FastifyReply, file: Awaited<ReturnType<typeof downloadPrivacyExport>>) => {
  if (file.size !== null) reply.header('content-length', file.size);
  return reply
    .header('content-type', 'application/zip')
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .send(file.stream); // a byte stream; the schema lists only the error shapes
};

/**
 * A request about one's personal data needs the identity the code sign-in proves: a session opened
 * by a notification's link is good for that one ticket only.
 */
function verifiedCustomer(request: FastifyRequest): PortalSession {
  const s = request.portal;
  if (!s) throw new AppError('auth.required', 'Sign in with your phone number first');
  if (s.scopeTicketId !== null || s.msisdn === null)
    throw new AppError('auth.forbidden', 'Sign in with your phone number and a code to manage your personal data');
  return s;
}

export function portalPrivacyRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/portal/v1/privacy/requests',
    {
      schema: {
        tags: ['portal', ...tags],
        summary: 'My personal-data requests and their status, newest first',
        response: { 200: z.object({ items: z.array(PortalPrivacyRequest) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: (await listMyPrivacyRequests(deps, verifiedCustomer(request).customerId)).map(presentPortalPrivacyRequest),
    }),
  );
  r.post(
    '/api/portal/v1/privacy/requests',
    {
      schema: {
        tags: ['portal', ...tags],
        summary:
          'Ask for a copy of my data, a correction, deletion, or withdraw a consent (409 `privacy.request_open` while one of the kind is open)',
        body: PortalPrivacyRequestCreate,
        response: { 201: z.object({ id: z.uuid() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const s = verifiedCustomer(request);
      return reply
        .status(201)
        .send(await filePrivacyRequest(deps, { via: 'portal', customerId: s.customerId }, request.body));
    },
  );
  r.get(
    '/api/portal/v1/privacy/consents',
    {
      schema: {
        tags: ['portal', ...tags],
        summary: 'My consents in force (surveys, service notices, marketing) and their history',
        response: { 200: ConsentsView, ...errorResponses },
      },
    },
    async (request) => presentConsents(await readConsents(deps, verifiedCustomer(request).customerId)),
  );
  r.put(
    '/api/portal/v1/privacy/consents',
    {
      schema: {
        tags: ['portal', ...tags],
        summary:
          'Give or withdraw one consent; honoured at once by survey dispatch and incident notices (withdrawing surveys withdraws the pending ones)',
        body: ConsentChange,
        response: { 200: ConsentsView, ...errorResponses },
      },
    },
    async (request) =>
      presentConsents(
        await changeConsent(deps, verifiedCustomer(request).customerId, request.body.purpose, request.body.granted),
      ),
  );
  r.get(
    '/api/portal/v1/privacy/requests/:id/export',
    {
      schema: {
        tags: ['portal', ...tags],
        summary:
          'Download the copy of my data (a ZIP of JSON and CSV files and my attachments) until it expires; logged',
        params: IdParams,
        response: errorResponses,
      },
    },
    async (request, reply) =>
      sendZip(
        reply,
        await downloadPrivacyExport(
          deps,
          { via: 'portal', customerId: verifiedCustomer(request).customerId },
          request.params.id,
        ),
      ),
  );
}

export function privacyDeskRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/privacy/requests',
    {
      schema: {
        tags,
        summary: 'The privacy desk: open requests by deadline, or closed ones newest first (supervisors and admins)',
        querystring: PrivacyRequestsQuery,
        response: { 200: PrivacyRequestPage, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const page = await listPrivacyRequests(deps, actor, request.query);
      const now = deps.clock.now();
      return { items: page.items.map((i) => presentPrivacyRequest(i, actor, now)), nextCursor: page.nextCursor };
    },
  );
  r.post(
    '/api/v1/privacy/requests',
    {
      schema: {
        tags,
        summary: 'Record a request a customer made by phone or in person, with how their identity was verified',
        body: DeskPrivacyRequestCreate,
        response: { 201: z.object({ id: z.uuid() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { customerId, identityCheck, ...input } = request.body;
      const created = await filePrivacyRequest(
        deps,
        { via: 'agent', actor: requireActor(request), customerId, identityCheck },
        input,
      );
      return reply.status(201).send(created);
    },
  );
  r.get(
    '/api/v1/privacy/requests/:id',
    {
      schema: {
        tags,
        summary: 'One personal-data request with what the viewer may do now',
        params: IdParams,
        response: { 200: PrivacyRequestView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return presentPrivacyRequest(await getPrivacyRequest(deps, actor, request.params.id), actor, deps.clock.now());
    },
  );
  r.get(
    '/api/v1/privacy/requests/:id/export',
    {
      schema: {
        tags,
        summary: 'Download the copy to hand it to the customer (logged in the access log)',
        params: IdParams,
        response: errorResponses,
      },
    },
    async (request, reply) =>
      sendZip(
        reply,
        await downloadPrivacyExport(deps, { via: 'desk', actor: requireActor(request) }, request.params.id),
      ),
  );
  const answered = async (request: FastifyRequest, id: string) => {
    const actor = requireActor(request);
    return presentPrivacyRequest(await getPrivacyRequest(deps, actor, id), actor, deps.clock.now());
  };
  r.post(
    '/api/v1/privacy/requests/:id/complete',
    {
      schema: {
        tags,
        summary: 'Mark a correction or withdrawal done, with what the customer is told',
        params: IdParams,
        body: PrivacyCompleteBody,
        response: { 200: PrivacyRequestView, ...errorResponses },
      },
    },
    async (request) => {
      await completePrivacyRequest(deps, requireActor(request), request.params.id, request.body.answer);
      return answered(request, request.params.id);
    },
  );
  r.get(
    '/api/v1/privacy/retention-runs',
    {
      schema: {
        tags,
        summary:
          'The latest daily retention runs: what each removed or anonymised per class, with the settings in force',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(60).default(7) }),
        response: { 200: z.object({ items: z.array(RetentionRunView) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: (await listRetentionRuns(deps, requireActor(request), request.query.limit)).map(presentRetentionRun),
    }),
  );
  r.post(
    '/api/v1/privacy/requests/:id/preview',
    {
      schema: {
        tags,
        summary:
          'Deletion: count what erasure would change per table and what a law keeps (open regulator cases, billing disputes); then it waits for a second person',
        params: IdParams,
        response: { 200: PrivacyRequestView, ...errorResponses },
      },
    },
    async (request) => {
      await previewDeletion(deps, requireActor(request), request.params.id);
      return answered(request, request.params.id);
    },
  );
  r.post(
    '/api/v1/privacy/requests/:id/approve',
    {
      schema: {
        tags,
        summary:
          'Deletion: a second person (409 `privacy.same_approver` for the one who previewed) approves and the personal data is erased; held tickets stay and the request waits on hold',
        params: IdParams,
        response: { 200: PrivacyRequestView, ...errorResponses },
      },
    },
    async (request) => {
      await approveDeletion(deps, requireActor(request), request.params.id);
      return answered(request, request.params.id);
    },
  );
  r.post(
    '/api/v1/privacy/requests/:id/refuse',
    {
      schema: {
        tags,
        summary: 'Refuse a request, giving the customer the reasons (PIPL Art. 50)',
        params: IdParams,
        body: PrivacyRefuseBody,
        response: { 200: PrivacyRequestView, ...errorResponses },
      },
    },
    async (request) => {
      await refusePrivacyRequest(deps, requireActor(request), request.params.id, request.body.answer);
      return answered(request, request.params.id);
    },
  );
}
