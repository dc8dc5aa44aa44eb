import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../core/auth/policy.js';
import { DEFAULT_QA_SETTINGS } from '../../core/quality/settings.js';
import { errorResponses, IdParams } from '../../contracts/common.js';
import {
  CalibrationBody,
  CalibrationList,
  CalibrationView,
  CoachingNoteBody,
  CoachingView,
  DecisionBody,
  DisputeBody,
  OverviewQuery,
  QualityOverview,
  ReviewBody,
  ReviewPage,
  ReviewsQuery,
  RemedialSettingsBody,
  ReviewView,
  SampleDetail,
  SamplePage,
  SamplesQuery,
  ScorecardDraftBody,
  ScorecardList,
  ScorecardVersion,
} from '../../contracts/qa-reviews.js';
import {
  presentCoaching,
  presentReview,
  presentSample,
  presentScorecard,
  summariseReview,
} from '../../presenters/qa-reviews.js';
import {
  closeCalibration,
  createCalibration,
  listCalibrations,
  readCalibration,
  scoreCalibration,
} from '../../usecases/quality/calibration.js';
import { acknowledgeCoaching, recordCoaching } from '../../usecases/quality/coaching.js';
import { decideReviewDispute } from '../../usecases/quality/decide-dispute.js';
import {
  loadCoachingFor,
  loadMyCoaching,
  loadReview,
  loadSample,
  pageMyReviews,
  pageSamples,
} from '../../usecases/quality/load-quality.js';
import { readQualityOverview } from '../../usecases/quality/read-overview.js';
import { acknowledgeReview, disputeReview } from '../../usecases/quality/respond-to-review.js';
import {
  createScorecardDraft,
  listScorecards,
  publishScorecard,
  scorecardInUse,
  updateScorecardDraft,
} from '../../usecases/quality/scorecards.js';
import { readRemedialSettings, saveRemedialSettings } from '../../usecases/quality/remedial-training.js';
import { submitReview } from '../../usecases/quality/submit-review.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const tags = ['qa-reviews'];

export function qaReviewRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const passMark = (deps.qa ?? DEFAULT_QA_SETTINGS).passMark;
  const inUseId = async () => (await scorecardInUse(deps.db)).id;
  const reviewView = async (actor: Actor, id: string) =>
    presentReview(await loadReview(deps.db, actor, id), actor, deps.clock.now(), await inUseId());
  const coachingView = async (actor: Actor, id: string) =>
    presentCoaching(await loadCoachingFor(deps.db, actor, id), actor, deps.clock.now());

  // Scorecards
  r.get(
    '/api/v1/qa/scorecards',
    {
      schema: {
        tags,
        summary: 'Every scorecard version, newest first, and the pass mark (administrators, inspectors, supervisors)',
        response: { 200: ScorecardList, ...errorResponses },
      },
    },
    async (request) => {
      const { rows, inUse } = await listScorecards(deps, requireActor(request));
      return { items: rows.map((row) => presentScorecard(row, inUse)), passMark };
    },
  );
  r.post(
    '/api/v1/qa/scorecards',
    {
      schema: {
        tags,
        summary: 'Start the next version as a draft (administrators); 409 `qa.draft_exists` while a draft exists',
        body: ScorecardDraftBody,
        response: { 200: ScorecardVersion, ...errorResponses },
      },
    },
    async (request) =>
      presentScorecard(await createScorecardDraft(deps, requireActor(request), request.body), await inUseId()),
  );
  r.put(
    '/api/v1/qa/scorecards/:id',
    {
      schema: {
        tags,
        summary: 'Change a draft version; 409 `qa.scorecard_published` for a published (immutable) version',
        params: IdParams,
        body: ScorecardDraftBody,
        response: { 200: ScorecardVersion, ...errorResponses },
      },
    },
    async (request) =>
      presentScorecard(
        await updateScorecardDraft(deps, requireActor(request), request.params.id, request.body),
        await inUseId(),
      ),
  );
  r.post(
    '/api/v1/qa/scorecards/:id/publish',
    {
      schema: {
        tags,
        summary:
          'Publish a draft: new reviews use it, earlier reviews keep their version. 422 `qa.scorecard_invalid` lists every problem',
        params: IdParams,
        response: { 200: ScorecardVersion, ...errorResponses },
      },
    },
    async (request) => {
      const row = await publishScorecard(deps, requireActor(request), request.params.id);
      return presentScorecard(row, row.id);
    },
  );

  // Repeated failures → training course
  r.get(
    '/api/v1/qa/settings/remedial-training',
    {
      schema: {
        tags,
        summary:
          'How many failed reviews within how many days assign which training course (administrators, supervisors)',
        response: { 200: RemedialSettingsBody, ...errorResponses },
      },
    },
    async (request) => readRemedialSettings(deps, requireActor(request)),
  );
  r.put(
    '/api/v1/qa/settings/remedial-training',
    {
      schema: {
        tags,
        summary:
          'Set the repeated-failure rule (administrators); the course is named by its code, 422 `training.unknown_course`',
        body: RemedialSettingsBody,
        response: { 200: RemedialSettingsBody, ...errorResponses },
      },
    },
    async (request) => saveRemedialSettings(deps, requireActor(request), request.body),
  );

  // Samples and reviews
  r.get(
    '/api/v1/qa/samples',
    {
      schema: {
        tags,
        summary: 'My samples (QA inspectors), oldest first',
        querystring: SamplesQuery,
        response: { 200: SamplePage, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const page = await pageSamples(deps.db, actor, request.query);
      return { ...page, items: page.items.map((s) => presentSample(s, actor)) };
    },
  );
  r.get(
    '/api/v1/qa/samples/:id',
    {
      schema: {
        tags,
        summary: 'One of my samples with the scorecard version in use',
        params: IdParams,
        response: { 200: SampleDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const sample = await loadSample(deps.db, actor, request.params.id);
      const card = await scorecardInUse(deps.db);
      return { sample: presentSample(sample, actor), scorecard: presentScorecard(card, card.id), passMark };
    },
  );
  r.post(
    '/api/v1/qa/samples/:id/review',
    {
      schema: {
        tags,
        summary:
          'Score a sample on the scorecard in use; notifies the agent, opens coaching when it fails. 422 `qa.scores_invalid` lists every problem; 409 `qa.already_reviewed`',
        params: IdParams,
        body: ReviewBody,
        response: { 200: ReviewView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const id = await submitReview(deps, actor, request.params.id, request.body);
      return reviewView(actor, id);
    },
  );
  r.get(
    '/api/v1/qa/reviews/mine',
    {
      schema: {
        tags,
        summary: 'Reviews of my work (agents and experts), newest first',
        querystring: ReviewsQuery,
        response: { 200: ReviewPage, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const page = await pageMyReviews(deps.db, actor, request.query);
      const now = deps.clock.now();
      const inUse = await inUseId();
      return { ...page, items: page.items.map((rec) => summariseReview(presentReview(rec, actor, now, inUse))) };
    },
  );
  r.get(
    '/api/v1/qa/reviews/:id',
    {
      schema: {
        tags,
        summary: 'One review (its agent, inspectors, supervisors; 404 for anyone else) and what I may do with it',
        params: IdParams,
        response: { 200: ReviewView, ...errorResponses },
      },
    },
    async (request) => reviewView(requireActor(request), request.params.id),
  );
  r.post(
    '/api/v1/qa/reviews/:id/acknowledge',
    {
      schema: {
        tags,
        summary: 'The agent accepts the review; 409 `qa.dispute_window_closed` after 3 working days',
        params: IdParams,
        response: { 200: ReviewView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await acknowledgeReview(deps, actor, request.params.id);
      return reviewView(actor, request.params.id);
    },
  );
  r.post(
    '/api/v1/qa/reviews/:id/dispute',
    {
      schema: {
        tags,
        summary:
          'The agent disputes the review with a comment (within 3 working days); supervisors have 3 working days to decide',
        params: IdParams,
        body: DisputeBody,
        response: { 200: ReviewView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await disputeReview(deps, actor, request.params.id, request.body.comment);
      return reviewView(actor, request.params.id);
    },
  );
  r.post(
    '/api/v1/qa/reviews/:id/decision',
    {
      schema: {
        tags,
        summary:
          'A supervisor decides a dispute: accept / partly (adjusted score above the original) / reject. 422 `qa.adjusted_score_invalid`',
        params: IdParams,
        body: DecisionBody,
        response: { 200: ReviewView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await decideReviewDispute(deps, actor, request.params.id, request.body);
      return reviewView(actor, request.params.id);
    },
  );

  // Overview and coaching
  r.get(
    '/api/v1/qa/overview',
    {
      schema: {
        tags,
        summary: 'Scores by agent and item for a period, open disputes and open coaching (supervisors)',
        querystring: OverviewQuery,
        response: { 200: QualityOverview, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const o = await readQualityOverview(deps, actor, request.query);
      const now = deps.clock.now();
      const inUse = await inUseId();
      return {
        from: o.from,
        to: o.to,
        passMark,
        agents: o.agents,
        items: o.items,
        openDisputes: o.disputes.map((rec) => summariseReview(presentReview(rec, actor, now, inUse))),
        coaching: o.coaching.map((c) => presentCoaching(c, actor, now)),
      };
    },
  );
  r.get(
    '/api/v1/qa/coaching/mine',
    {
      schema: {
        tags,
        summary: 'Coaching after my failed reviews',
        response: { 200: z.object({ items: z.array(CoachingView) }), ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const now = deps.clock.now();
      return { items: (await loadMyCoaching(deps.db, actor)).map((c) => presentCoaching(c, actor, now)) };
    },
  );
  r.post(
    '/api/v1/qa/coaching/:id/record',
    {
      schema: {
        tags,
        summary: 'A supervisor records the coaching given (open → coached)',
        params: IdParams,
        body: CoachingNoteBody,
        response: { 200: CoachingView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await recordCoaching(deps, actor, request.params.id, request.body.note);
      return coachingView(actor, request.params.id);
    },
  );
  r.post(
    '/api/v1/qa/coaching/:id/acknowledge',
    {
      schema: {
        tags,
        summary: 'The agent acknowledges the coaching, which closes it; 409 `qa.coaching_not_recorded` before that',
        params: IdParams,
        response: { 200: CoachingView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await acknowledgeCoaching(deps, actor, request.params.id);
      return coachingView(actor, request.params.id);
    },
  );

  // Calibration
  const calibrationView = async (actor: Actor, id: string) => {
    const c = await readCalibration(deps, actor, id);
    return {
      id: c.c.id,
      ticket: c.ticket,
      title: c.c.title,
      status: c.c.status,
      scorecard: presentScorecard(c.card, await inUseId()),
      reviews: c.reviews,
      spread: c.spread,
      scoredByMe: c.scoredByMe,
    };
  };
  r.get(
    '/api/v1/qa/calibrations',
    {
      schema: {
        tags,
        summary: 'Calibration sessions, newest first (inspectors and supervisors)',
        response: { 200: CalibrationList, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const inUse = await inUseId();
      return {
        items: (await listCalibrations(deps, actor)).map((c) => ({
          id: c.c.id,
          ticket: c.ticket,
          title: c.c.title,
          status: c.c.status,
          scorecard: presentScorecard(c.card, inUse),
          scoredByMe: c.scoredByMe,
        })),
      };
    },
  );
  r.post(
    '/api/v1/qa/calibrations',
    {
      schema: {
        tags,
        summary: 'Start a calibration session on a ticket (not counted toward the agent)',
        body: CalibrationBody,
        response: { 200: CalibrationView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return calibrationView(actor, await createCalibration(deps, actor, request.body));
    },
  );
  r.get(
    '/api/v1/qa/calibrations/:id',
    {
      schema: {
        tags,
        summary: 'A session with the scores and their spread per item (blind until I scored, unless supervising)',
        params: IdParams,
        response: { 200: CalibrationView, ...errorResponses },
      },
    },
    async (request) => calibrationView(requireActor(request), request.params.id),
  );
  r.post(
    '/api/v1/qa/calibrations/:id/scores',
    {
      schema: {
        tags,
        summary: 'My score in a session (once); 409 `qa.calibration_closed`',
        params: IdParams,
        body: ReviewBody,
        response: { 200: CalibrationView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await scoreCalibration(deps, actor, request.params.id, request.body);
      return calibrationView(actor, request.params.id);
    },
  );
  r.post(
    '/api/v1/qa/calibrations/:id/close',
    {
      schema: {
        tags,
        summary: 'Close a session: its scores become visible to every inspector',
        params: IdParams,
        response: { 200: CalibrationView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await closeCalibration(deps, actor, request.params.id);
      return calibrationView(actor, request.params.id);
    },
  );
}
