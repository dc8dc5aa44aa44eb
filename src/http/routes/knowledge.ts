import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParams } from '../../contracts/common.js';
import {
  ArticleCreate,
  ArticleDetail,
  ArticleSave,
  ArticleTransition,
  CategoryList,
  DiffQuery,
  FaqArticle,
  FaqFeedbackBody,
  FaqList,
  FaqQuery,
  KnowledgeSearchQuery,
  RestoreBody,
  SearchResult,
  SynonymBody,
  SynonymGroup,
  SynonymList,
  TicketSuggestions,
  UsageBody,
  VersionDiff,
  VersionList,
  VersionParams,
} from '../../contracts/knowledge.js';
import { presentArticle, presentFaqArticle } from '../../presenters/knowledge.js';
import { diffVersions, listVersions, readArticle } from '../../usecases/knowledge/articles.js';
import { listFaq, loadFaqArticle, recordDeflection, recordFaqFeedback } from '../../usecases/knowledge/faq.js';
import { proposeCase } from '../../usecases/knowledge/propose-case.js';
import { moveArticle, verifyArticle } from '../../usecases/knowledge/review-article.js';
import { createArticle, restoreVersion, saveArticle } from '../../usecases/knowledge/save-article.js';
import { isLive, knowledgeCategories, searchKnowledge } from '../../usecases/knowledge/search.js';
import { recordKnowledgeUse, suggestForTicket } from '../../usecases/knowledge/suggest.js';
import { createSynonyms, deleteSynonyms, listSynonyms, updateSynonyms } from '../../usecases/knowledge/synonyms.js';
import type { Actor } from '../../core/auth/policy.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const tags = ['knowledge'];
const base = '/api/v1/knowledge';

// The knowledge base for staff (issue 15): articles and cases with their review workflow and
// versions, search, the synonym list, suggestions on a ticket and the record of their use.

export function knowledgeRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const detail = async (actor: Actor, id: string) => presentArticle(actor, await readArticle(deps, actor, id));

  r.get(
    `${base}/search`,
    {
      schema: {
        tags,
        summary:
          'Search articles and cases on jieba words with synonyms, ranked (ts_rank_cd), with highlighted snippets; published ones unless `status` says otherwise',
        querystring: KnowledgeSearchQuery,
        response: { 200: SearchResult, ...errorResponses },
      },
    },
    async (request) => searchKnowledge(deps, requireActor(request), request.query),
  );
  r.get(
    `${base}/categories`,
    {
      schema: {
        tags,
        summary: 'Categories of published knowledge, with counts',
        response: { 200: CategoryList, ...errorResponses },
      },
    },
    async () => ({ items: await knowledgeCategories(deps.db, [isLive]) }),
  );
  r.post(
    `${base}/articles`,
    {
      schema: {
        tags,
        summary: 'Write a new article (version 1, a draft; agents, experts, supervisors, admins)',
        body: ArticleCreate,
        response: { 201: ArticleDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const id = await createArticle(deps, actor, request.body.content);
      return reply.code(201).send(await detail(actor, id));
    },
  );
  r.get(
    `${base}/articles/:id`,
    {
      schema: {
        tags,
        summary: 'One article or case: the working copy, the live version, and what I may do',
        params: IdParams,
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) => detail(requireActor(request), request.params.id),
  );
  r.put(
    `${base}/articles/:id`,
    {
      schema: {
        tags,
        summary:
          'Save a new version (a draft; a published version stays live). 409 `knowledge.version_conflict` when `baseVersion` is not the working version',
        params: IdParams,
        body: ArticleSave,
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await saveArticle(deps, actor, request.params.id, request.body);
      return detail(actor, request.params.id);
    },
  );
  r.post(
    `${base}/articles/:id/transitions`,
    {
      schema: {
        tags,
        summary:
          'submit / approve / reject / publish / archive. 409 `knowledge.invalid_transition`; 403 `knowledge.reviewer_is_author` when the author approves',
        params: IdParams,
        body: ArticleTransition,
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await moveArticle(deps, actor, request.params.id, request.body);
      return detail(actor, request.params.id);
    },
  );
  r.post(
    `${base}/articles/:id/verify`,
    {
      schema: {
        tags,
        summary: 'Confirm the live version is still right (restarts the verification period)',
        params: IdParams,
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await verifyArticle(deps, actor, request.params.id);
      return detail(actor, request.params.id);
    },
  );
  r.get(
    `${base}/articles/:id/versions`,
    {
      schema: {
        tags,
        summary: 'Every saved version, oldest first',
        params: IdParams,
        response: { 200: VersionList, ...errorResponses },
      },
    },
    async (request) => listVersions(deps, requireActor(request), request.params.id),
  );
  r.get(
    `${base}/articles/:id/diff`,
    {
      schema: {
        tags,
        summary: 'What changed between two versions (fields; title and body word by word)',
        params: IdParams,
        querystring: DiffQuery,
        response: { 200: VersionDiff, ...errorResponses },
      },
    },
    async (request) =>
      diffVersions(deps, requireActor(request), request.params.id, request.query.from, request.query.to),
  );
  r.post(
    `${base}/articles/:id/versions/:number/restore`,
    {
      schema: {
        tags,
        summary: 'Save an old version again as the newest draft',
        params: VersionParams,
        body: RestoreBody,
        response: { 200: ArticleDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await restoreVersion(deps, actor, request.params.id, request.params.number, request.body.baseVersion);
      return detail(actor, request.params.id);
    },
  );
  r.post(
    '/api/v1/tickets/:id/case-proposal',
    {
      schema: {
        tags,
        summary:
          'Propose a resolved ticket as a case: a draft with personal data replaced by placeholders. 409 `knowledge.ticket_not_resolved`, 409 `knowledge.case_exists`',
        params: IdParams,
        response: { 201: ArticleDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const id = await proposeCase(deps, actor, request.params.id);
      return reply.code(201).send(await detail(actor, id));
    },
  );
  r.get(
    '/api/v1/tickets/:id/knowledge-suggestions',
    {
      schema: {
        tags,
        summary:
          'Top 5 articles and similar resolved cases for the subject and the latest customer message (published, in force), and the ones already used',
        params: IdParams,
        response: { 200: TicketSuggestions, ...errorResponses },
      },
    },
    async (request) => suggestForTicket(deps, requireActor(request), request.params.id),
  );
  r.post(
    '/api/v1/tickets/:id/knowledge-usages',
    {
      schema: {
        tags,
        summary: 'Record that an article or case was inserted into a reply (kept, and shown on the timeline)',
        params: IdParams,
        body: UsageBody,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await recordKnowledgeUse(deps, requireActor(request), request.params.id, request.body.articleId);
      return reply.code(204).send(null);
    },
  );
  r.get(
    `${base}/synonyms`,
    {
      schema: { tags, summary: 'The synonym list (administrators)', response: { 200: SynonymList, ...errorResponses } },
    },
    async (request) => listSynonyms(deps, requireActor(request)),
  );
  r.post(
    `${base}/synonyms`,
    {
      schema: {
        tags,
        summary: 'Add a synonym group',
        body: SynonymBody,
        response: { 201: SynonymGroup, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createSynonyms(deps, requireActor(request), request.body.terms)),
  );
  r.put(
    `${base}/synonyms/:id`,
    {
      schema: {
        tags,
        summary: 'Change a synonym group',
        params: IdParams,
        body: SynonymBody,
        response: { 200: SynonymGroup, ...errorResponses },
      },
    },
    async (request) => updateSynonyms(deps, requireActor(request), request.params.id, request.body.terms),
  );
  r.delete(
    `${base}/synonyms/:id`,
    {
      schema: {
        tags,
        summary: 'Remove a synonym group',
        params: IdParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteSynonyms(deps, requireActor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}

/**
 * The portal's FAQ, public (no sign-in): customers look for answers before they write. Answers and
 * deflections are anonymous and limited per address.
 */
export function faqRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ptags = ['portal'];
  r.get(
    '/api/portal/v1/faq',
    {
      schema: {
        tags: ptags,
        summary: 'Public articles in force, by category and search (jieba words, synonyms), with highlighted snippets',
        querystring: FaqQuery,
        response: { 200: FaqList, ...errorResponses },
      },
    },
    async (request) => listFaq(deps, request.query),
  );
  r.get(
    '/api/portal/v1/faq/:id',
    {
      schema: {
        tags: ptags,
        summary: 'One public article',
        params: IdParams,
        response: { 200: FaqArticle, ...errorResponses },
      },
    },
    async (request) => presentFaqArticle(await loadFaqArticle(deps, request.params.id)),
  );
  r.post(
    '/api/portal/v1/faq/:id/feedback',
    {
      schema: {
        tags: ptags,
        summary: '"Was this helpful?"; repeated "no" gives the article\'s owner a review task',
        params: IdParams,
        body: FaqFeedbackBody,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await recordFaqFeedback(deps, request.params.id, request.body.helpful, request.ip, deps.config.knowledgeReview);
      return reply.code(204).send(null);
    },
  );
  r.post(
    '/api/portal/v1/faq/:id/deflection',
    {
      schema: {
        tags: ptags,
        summary: 'The customer opened this suggestion while writing a request and left without submitting',
        params: IdParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await recordDeflection(deps, request.params.id, request.ip);
      return reply.code(204).send(null);
    },
  );
}
