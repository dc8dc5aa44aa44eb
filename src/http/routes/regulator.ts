import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../../core/auth/policy.js';
import { errorResponses, IdParams } from '../../contracts/common.js';
import {
  AppealsByMonth,
  AppealsQuery,
  EvidencePackBody,
  FirstContactBody,
  ReferralCreate,
  ReferralDetail,
  ReferralPage,
  ReferralsQuery,
  RegulatorSourceList,
  ReplyBody,
} from '../../contracts/regulator.js';
import { createReferral } from '../../usecases/regulator/create-referral.js';
import { appealsByMonth, getReferral, listReferrals, listSources } from '../../usecases/regulator/read-referrals.js';
import { generateEvidencePack } from '../../usecases/regulator/generate-evidence-pack.js';
import { openEvidencePack } from '../../usecases/regulator/open-evidence-pack.js';
import { recordFirstContact } from '../../usecases/regulator/record-first-contact.js';
import { recordReply } from '../../usecases/regulator/record-reply.js';
import { presentReferral, presentReferralSummary } from '../../presenters/regulator.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const tags = ['regulator'];

export function regulatorRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const regulatorDeps = { ...deps, regulator: deps.config.regulator };
  const view = async (actor: Actor, id: string) => presentReferral(await getReferral(deps, actor, id), actor);

  r.get(
    '/api/v1/regulator/sources',
    {
      schema: {
        tags,
        summary: 'The bodies that refer complaints (工信部, 通管局 via 12300, 消协, 12315, 信访, others)',
        response: { 200: RegulatorSourceList, ...errorResponses },
      },
    },
    async (request) => {
      requireActor(request);
      return listSources(deps);
    },
  );
  r.get(
    '/api/v1/regulator/referrals',
    {
      schema: {
        tags,
        summary: 'Referral cases, newest first',
        querystring: ReferralsQuery,
        response: { 200: ReferralPage, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const page = await listReferrals(deps, actor, request.query);
      return { items: page.items.map((r) => presentReferralSummary(r, actor)), nextCursor: page.nextCursor };
    },
  );
  r.post(
    '/api/v1/regulator/referrals',
    {
      schema: {
        tags,
        summary:
          'File a referral: opens its urgent ticket on the regulator channel in the regulator queue, starts its clocks and links the customer’s recent complaints. 409 `regulator.duplicate_referral`, 422 `regulator.unknown_source`, 400 `regulator.deadline_before_received`',
        body: ReferralCreate,
        response: { 201: ReferralDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { referralId } = await createReferral(regulatorDeps, actor, request.body);
      return reply.status(201).send(await view(actor, referralId));
    },
  );
  r.get(
    '/api/v1/regulator/referrals/:id',
    {
      schema: {
        tags,
        summary: 'One referral case: eligibility hints, clocks, linked complaints, reply and evidence packs',
        params: IdParams,
        response: { 200: ReferralDetail, ...errorResponses },
      },
    },
    async (request) => view(requireActor(request), request.params.id),
  );
  r.post(
    '/api/v1/regulator/referrals/:id/first-contact',
    {
      schema: {
        tags,
        summary:
          'Record the first contact with the customer (stops that clock); 409 `regulator.first_contact_recorded`',
        params: IdParams,
        body: FirstContactBody,
        response: { 200: ReferralDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await recordFirstContact(deps, actor, request.params.id, request.body);
      return view(actor, request.params.id);
    },
  );
  r.post(
    '/api/v1/regulator/referrals/:id/reply',
    {
      schema: {
        tags,
        summary:
          'Record the reply sent to the regulator and its date (stops the report clock); 409 `regulator.already_replied`',
        params: IdParams,
        body: ReplyBody,
        response: { 200: ReferralDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await recordReply(deps, actor, request.params.id, request.body);
      return view(actor, request.params.id);
    },
  );
  r.post(
    '/api/v1/regulator/referrals/:id/evidence-packs',
    {
      schema: {
        tags,
        summary:
          'Generate the evidence pack (ZIP: PDF summary, JSON, manifest, attachments), masked unless `masked: false` with a reason (access log; 403 `pii.reveal_not_allowed`, 400 `regulator.reason_required`)',
        params: IdParams,
        body: EvidencePackBody,
        response: { 201: ReferralDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await generateEvidencePack(deps, actor, request.params.id, request.body);
      return reply.status(201).send(await view(actor, request.params.id));
    },
  );
  r.get(
    '/api/v1/regulator/evidence-packs/:id',
    {
      schema: {
        tags,
        summary: 'Download an evidence pack (access follows its case)',
        params: IdParams,
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const { pack, stream } = await openEvidencePack(deps, requireActor(request), request.params.id);
      return reply
        .header('content-type', 'application/zip')
        .header('content-length', pack.size)
        .header('content-disposition', `attachment; filename="${pack.fileName}"`)
        .send(stream as never); // a byte stream; the schema lists only the error shapes
    },
  );
  r.get(
    '/api/v1/regulator/appeals-by-month',
    {
      schema: {
        tags,
        summary: 'Appeals per month received and category (用户服务 / 收费争议 / 网络质量), for the KPIs',
        querystring: AppealsQuery,
        response: { 200: AppealsByMonth, ...errorResponses },
      },
    },
    async (request) => appealsByMonth(deps, requireActor(request), request.query),
  );
}
