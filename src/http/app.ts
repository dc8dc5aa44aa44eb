import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Database } from '../db/client.js';
import type { AttachmentStorage } from '../storage/attachment-storage.js';
import { requireStaffSession } from './auth.js';
import { registerTextGuard } from './text-guard.js';
import { registerErrorHandling } from './errors.js';
import { clientErrorHandler, frameworkErrorHandler, trackRoutes } from './error-shape.js';
import { loggerOptions } from './logging.js';
import { registerLiveUpdates } from './live.js';
import { startSessionCache } from './session-cache.js';
import { startChatHub } from './chat-live.js';
import { chatCustomerRoutes, chatDeskRoutes, chatGatewayRoutes, requireChatToken } from './routes/chat.js';
import { registerMetricsAndOverload } from './metrics.js';
import { loginRoutes, sessionRoutes } from './routes/auth.js';
import { savedViewRoutes } from './routes/saved-views.js';
import { boardRoutes } from './routes/board.js';
import { adminSettingsRoutes } from './routes/admin-settings.js';
import { channelRoutes, quarantineRoutes, requireSignature, webhookRoutes } from './routes/channels.js';
import { collaborationRoutes } from './routes/collaboration.js';
import { routingRoutes } from './routes/routing.js';
import { portalRoutes, portalSignInRoutes, requirePortalSession } from './routes/portal.js';
import { surveyRoutes, ticketSurveyRoutes } from './routes/surveys.js';
import { regulatorRoutes } from './routes/regulator.js';
import { kpiRoutes } from './routes/kpi.js';
import { contactCentreRoutes } from './routes/contact-centre.js';
import { qaReviewRoutes } from './routes/qa-reviews.js';
import { callbackRoutes } from './routes/callbacks.js';
import { surveyProblemRoutes } from './routes/survey-problems.js';
import { portalPrivacyRoutes, privacyDeskRoutes } from './routes/privacy.js';
import { faqRoutes, knowledgeRoutes } from './routes/knowledge.js';
import { incidentRoutes } from './routes/incidents.js';
import { slaRoutes } from './routes/sla.js';
import { notificationRoutes } from './routes/notifications.js';
import { replyRoutes } from './routes/replies.js';
import { customerRoutes } from './routes/customers.js';
import { directoryRoutes } from './routes/directory.js';
import { healthRoutes } from './routes/health.js';
import type { RouteDeps } from './routes/route-deps.js';
import { ticketRoutes } from './routes/tickets.js';
import { qualityRoutes, trainingRoutes } from './routes/quality.js';

export type AppDeps = {
  database: Database;
  config: Config;
  clock: Clock;
  storage: AttachmentStorage;
  indexText: (text: string) => string;
  /** false silences request logs (tests). */
  log?: boolean;
};

const WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Builds the HTTP app without listening, so tests drive it in-process with `inject()`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.log === false ? false : loggerOptions(deps.config.logLevel),
    bodyLimit: 1024 * 1024,
    // Only configured proxies may say who the client is (X-Forwarded-For); by default nobody.
    trustProxy: deps.config.trustProxy.length > 0 ? deps.config.trustProxy : false,
    genReqId: () => crypto.randomUUID(),
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app, existsSync(WEB_ROOT) ? 'index.html' : null, trackRoutes(app));
  // First, so an overloaded node refuses before doing any work (sessions, body parsing).
  registerMetricsAndOverload(app, {
    database: deps.database,
    maxInFlight: deps.config.maxInFlight,
    metricsToken: deps.config.metricsToken,
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { files: 1, fields: 10, fieldSize: 100_000 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Loopdesk API',
        version: '1',
        description:
          'Closed-loop customer service for telecom operators. Errors are `{ "error": { "code", "message", "details" } }`. ' +
          'Sign in at /api/v1/auth/login; send the returned csrfToken as X-CSRF-Token on every write.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'loopdesk_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  if (existsSync(WEB_ROOT)) {
    // The desk (web/, built by Vite). Hashed assets are immutable; index.html is never cached.
    await app.register(fastifyStatic, {
      root: WEB_ROOT,
      wildcard: false,
      decorateReply: true,
      setHeaders: (res, path) => {
        res.setHeader(
          'cache-control',
          path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
        );
      },
    });
  }
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const sessions = await startSessionCache(deps.database, deps.clock);
  app.addHook('preClose', () => sessions.stop());
  const routeDeps: RouteDeps = {
    sessions,
    db: deps.database.db,
    clock: deps.clock,
    indexText: deps.indexText,
    timeZone: deps.config.timeZone,
    priorityWeights: deps.config.priorityWeights,
    intakeQueues: deps.config.intakeQueues,
    churnWeights: deps.config.churnWeights,
    surveys: deps.config.surveys,
    qa: deps.config.qa,
    privacy: deps.config.privacy,
    classifyApplyAt: deps.config.classifyApplyAt,
    storage: deps.storage,
    maxBytes: deps.config.attachmentMaxBytes,
    config: deps.config,
  };
  registerTextGuard(app);

  // Public routes, an explicit list: liveness and readiness, staff sign-in, the portal's code request
  // and sign-in, the satisfaction survey behind a one-time link, the FAQ (reading, and anonymous answers), and (above) the OpenAPI document, its docs and the web app's files. Everything else
  // lives in one of three scopes whose hook authenticates every route in it, so a route cannot be
  // added without it (test/integration/route-scopes.test.ts walks them all).
  healthRoutes(app, routeDeps);
  loginRoutes(app, routeDeps);
  portalSignInRoutes(app, routeDeps);
  surveyRoutes(app, routeDeps);
  faqRoutes(app, routeDeps);

  // The staff API (the desk): a staff session, and its CSRF token on every write.
  await app.register(async (staff) => {
    requireStaffSession(staff, routeDeps);
    sessionRoutes(staff, routeDeps);
    ticketRoutes(staff, routeDeps);
    ticketSurveyRoutes(staff, routeDeps);
    callbackRoutes(staff, routeDeps);
    surveyProblemRoutes(staff, routeDeps);
    regulatorRoutes(staff, routeDeps);
    qaReviewRoutes(staff, routeDeps);
    knowledgeRoutes(staff, routeDeps);
    incidentRoutes(staff, routeDeps);
    customerRoutes(staff, routeDeps);
    directoryRoutes(staff, routeDeps);
    adminSettingsRoutes(staff, routeDeps);
    boardRoutes(staff, routeDeps);
    savedViewRoutes(staff, routeDeps);
    slaRoutes(staff, routeDeps);
    notificationRoutes(staff, routeDeps);
    replyRoutes(staff, routeDeps);
    collaborationRoutes(staff, routeDeps);
    routingRoutes(staff, routeDeps);
    channelRoutes(staff, routeDeps);
    quarantineRoutes(staff, routeDeps);
    qualityRoutes(staff, routeDeps);
    kpiRoutes(staff, routeDeps);
    contactCentreRoutes(staff, routeDeps);
    privacyDeskRoutes(staff, routeDeps);
    trainingRoutes(staff, routeDeps);
    chatDeskRoutes(staff, routeDeps);
    await registerLiveUpdates(staff, deps.database, deps.clock);
  });

  // The customer portal's API: a portal session, and its CSRF token on every write.
  await app.register(async (portal) => {
    requirePortalSession(portal, routeDeps);
    portalRoutes(portal, routeDeps);
    portalPrivacyRoutes(portal, routeDeps);
  });

  // The customer's live chat (issue 20): the conversation token on every route but the start.
  const chatHub = await startChatHub(deps.database, deps.clock, app.log, {
    presenceMs: deps.config.chatPresenceMs,
  });
  app.addHook('preClose', () => chatHub.close());
  await app.register(async (chat) => {
    requireChatToken(chat, routeDeps);
    chatCustomerRoutes(chat, routeDeps, chatHub);
  });

  // Channel gateways and the telephony system: an HMAC signature over the raw body.
  await app.register(async (webhooks) => {
    requireSignature(webhooks, routeDeps);
    webhookRoutes(webhooks, routeDeps);
    chatGatewayRoutes(webhooks, routeDeps);
  });
  return app;
}
