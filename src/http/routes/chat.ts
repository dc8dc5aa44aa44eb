import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AgentChatMessageCreate,
  ChatCustomerView,
  ChatDetailView,
  ChatEnd,
  ChatFeedback,
  ChatLeaveMessage,
  ChatList,
  ChatListQuery,
  ChatMessageCreate,
  ChatMessagesPage,
  ChatMessagesQuery,
  ChatMessageStored,
  ChatMessageView,
  ChatSettings,
  ChatSettingsView,
  ChatStart,
  ChatStarted,
  ChatStreamQuery,
  ChatTicketRef,
  ChatToTicket,
  ChatTransfer,
  ChatTyping,
  GatewayChatChannel,
  GatewayChatMessage,
  GatewayChatPage,
  GatewayChatPoll,
  GatewayChatStored,
} from '../../contracts/chat.js';
import { errorResponses, IdParams } from '../../contracts/common.js';
import { AppError } from '../../core/errors/app-error.js';
import { hitRateLimit } from '../../db/rate-limits.js';
import {
  acceptChat,
  agentReply,
  agentTyping,
  chatMessagesFor,
  chatToTicket,
  endChat,
  listChats,
  readChat,
  transferChat,
  type ChatDetailView as ChatDetail,
} from '../../usecases/chat/agent-chat.js';
import { readChatSettings, resetChatSettings, setChatSettings } from '../../usecases/chat/chat-settings.js';
import {
  chatByToken,
  customerMessages,
  customerTyping,
  endByCustomer,
  leaveMessage,
  postCustomerMessage,
  rateBotAnswer,
  readCustomerChat,
  requestPerson,
  startChat,
} from '../../usecases/chat/customer-chat.js';
import { recordFaqFeedback } from '../../usecases/knowledge/faq.js';
import { gatewayMessages, receiveGatewayChat } from '../../usecases/chat/gateway-chat.js';
import { findPortalSession } from '../../usecases/portal/portal-auth.js';
import type { ConversationRow, MessageRow } from '../../usecases/chat/chat-store.js';
import { presentChatMessage } from '../../presenters/chat.js';
import { csrfRefused, requireActor } from '../auth.js';
import type { ChatHub } from '../chat-live.js';
import { PORTAL_COOKIE } from './portal.js';
import type { RouteDeps } from './route-deps.js';

// Online service (issue 20). The customer's chat API has its own scope: a conversation token (from
// starting the chat) on every route but the start; the desk's chat API lives in the staff scope;
// the app and WeChat gateways' in the signed webhook scope.

export const CHAT_TOKEN_HEADER = 'x-chat-token';
const START = '/api/chat/v1/conversations';
const tags = ['chat'];
const customerTags = ['chat (customer)'];

declare module 'fastify' {
  interface FastifyRequest {
    chat: ConversationRow | null;
  }
}

const tokenOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers[CHAT_TOKEN_HEADER];
  if (typeof header === 'string' && header) return header;
  const query = request.query as { token?: unknown } | undefined;
  return request.method === 'GET' && typeof query?.token === 'string' ? query.token : undefined;
};

/**
 * The customer chat scope's one authentication hook: every route but the start needs the
 * conversation token (checked before the body is read); the conversation is loaded once the
 * path is validated.
 */
export function requireChatToken(scope: FastifyInstance, deps: RouteDeps): void {
  scope.decorateRequest('chat', null);
  scope.addHook('onRequest', async (request) => {
    if (request.routeOptions.url === START) return;
    if (!tokenOf(request)) throw new AppError('chat.token_invalid', 'Send the conversation token as X-Chat-Token');
  });
  scope.addHook('preHandler', async (request) => {
    if (request.routeOptions.url === START) return;
    const { id } = request.params as { id: string };
    request.chat = await chatByToken(deps, id, tokenOf(request));
  });
}

const customer = (rows: MessageRow[]) => rows.map((m) => presentChatMessage(m));
const detail = (d: ChatDetail) => ({ ...d, messages: d.messages.map((m) => presentChatMessage(m, 'staff')) });

const conversation = (request: FastifyRequest): ConversationRow => {
  if (!request.chat) throw new AppError('chat.token_invalid', 'Send the conversation token as X-Chat-Token');
  return request.chat;
};

export function chatCustomerRoutes(app: FastifyInstance, deps: RouteDeps, hub: ChatHub): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const path = '/api/chat/v1/conversations/:id';
  const lastEventId = (request: FastifyRequest): number | undefined => {
    const h = request.headers['last-event-id'];
    const n = typeof h === 'string' ? Number(h) : NaN;
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  };

  r.post(
    START,
    {
      schema: {
        tags: customerTags,
        summary:
          'Start a chat (anonymous, or as the portal customer signed in with the code: personal answers). Returns the conversation token, shown once',
        security: [],
        body: ChatStart,
        response: { 201: ChatStarted, ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const now = deps.clock.now();
      const retry = await hitRateLimit(deps.db, { key: `chat:start:${request.ip}`, max: 300, windowMs: 600_000 }, now);
      if (retry !== null)
        throw new AppError('auth.rate_limited', 'Too many chats from this address; try later', { retryAfter: retry });
      const cookie = request.cookies[PORTAL_COOKIE];
      const portal = cookie ? await findPortalSession(deps, cookie) : null;
      if (portal && request.headers['x-csrf-token'] !== portal.csrfToken) throw csrfRefused('reload the page');
      const started = await startChat(deps, {
        channel: 'portal',
        language: request.body.language,
        customerId: portal?.customerId ?? null,
        // A code sign-in proves the number; a ticket link does not make the chat personal.
        verified: Boolean(portal && portal.msisdn && !portal.scopeTicketId),
      });
      return reply
        .status(201)
        .send({ conversation: started.conversation, token: started.token, messages: customer(started.messages) });
    },
  );
  r.get(
    path,
    {
      schema: {
        tags: customerTags,
        summary: 'The chat: state, place in the queue, agent, whether a message can be left',
        params: IdParams,
        response: { 200: ChatCustomerView, ...errorResponses },
      },
    },
    async (request) => readCustomerChat(deps, conversation(request)),
  );
  r.get(
    `${path}/messages`,
    {
      schema: {
        tags: customerTags,
        summary: 'Messages after a seq, in order',
        params: IdParams,
        querystring: ChatMessagesQuery.extend({ token: z.string().max(200).optional() }),
        response: { 200: ChatMessagesPage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await customerMessages(deps, conversation(request), request.query.after, request.query.limit);
      return { items: customer(page.items), lastSeq: page.lastSeq };
    },
  );
  r.post(
    `${path}/messages`,
    {
      schema: {
        tags: customerTags,
        summary:
          'Send a message; 201 once stored (with the bot’s answer), 200 when this clientMessageId was stored before (nothing new)',
        params: IdParams,
        body: ChatMessageCreate,
        response: { 200: ChatMessageStored, 201: ChatMessageStored, ...errorResponses },
      },
    },
    async (request, reply) => {
      const stored = await postCustomerMessage(deps, conversation(request).id, request.body);
      return reply.status(stored.replayed ? 200 : 201).send({
        message: presentChatMessage(stored.message),
        replies: customer(stored.replies),
        conversation: stored.conversation,
      });
    },
  );
  r.get(
    `${path}/stream`,
    {
      schema: {
        tags: customerTags,
        summary:
          'Server-sent events: `message` (id = seq) for every message after `after` / Last-Event-ID, then live; `conversation` (state, queue position, agent); `typing` (the agent)',
        params: IdParams,
        querystring: ChatStreamQuery,
        produces: ['text/event-stream'],
        response: { 200: z.string().describe('text/event-stream'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const c = conversation(request);
      hub.open(request, reply, c.id, lastEventId(request) ?? request.query.after ?? 0);
    },
  );
  r.post(
    `${path}/typing`,
    {
      schema: {
        tags: customerTags,
        summary: 'The customer is typing (or stopped): shown to the agent',
        params: IdParams,
        body: ChatTyping,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await customerTyping(deps, conversation(request), request.body.typing);
      return reply.status(204).send(null);
    },
  );
  r.post(
    `${path}/handoff`,
    {
      schema: {
        tags: customerTags,
        summary: 'Ask for a person (into the queue; outside service hours the bot says so)',
        params: IdParams,
        body: z.strictObject({}).optional(),
        response: { 200: ChatCustomerView, ...errorResponses },
      },
    },
    async (request) => requestPerson(deps, conversation(request).id),
  );
  r.post(
    `${path}/feedback`,
    {
      schema: {
        tags: customerTags,
        summary: '"Did this help?" on the bot’s answer (message seq); counts for the article like the FAQ’s answers',
        params: IdParams,
        body: ChatFeedback,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { articleId } = await rateBotAnswer(deps, conversation(request).id, request.body);
      await recordFaqFeedback(deps, articleId, request.body.helpful, request.ip, deps.config.knowledgeReview).catch(
        (err: unknown) => {
          // The article may have been withdrawn since; the answer on the chat is kept.
          if (!(err instanceof AppError)) throw err;
        },
      );
      return reply.status(204).send(null);
    },
  );
  r.post(
    `${path}/leave-message`,
    {
      schema: {
        tags: customerTags,
        summary: 'Outside service hours or after the wait: leave a message, which becomes a ticket; the chat ends',
        params: IdParams,
        body: ChatLeaveMessage,
        response: { 201: ChatTicketRef, ...errorResponses },
      },
    },
    async (request, reply) => {
      const t = await leaveMessage(deps, conversation(request).id, request.body);
      return reply.status(201).send({ ticketId: t.ticketId, number: t.number });
    },
  );
  r.post(
    `${path}/end`,
    {
      schema: {
        tags: customerTags,
        summary: 'Leave the chat',
        params: IdParams,
        body: z.strictObject({}).optional(),
        response: { 200: ChatCustomerView, ...errorResponses },
      },
    },
    async (request) => endByCustomer(deps, conversation(request).id),
  );
}

/** The desk: queue, accept, reply, transfer, end, ticket. */
export function chatDeskRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/chats',
    {
      schema: {
        tags,
        summary: 'Chats: waiting in my queues, mine, all open (supervisors), ended in the last day',
        querystring: ChatListQuery,
        response: { 200: ChatList, ...errorResponses },
      },
    },
    async (request) => listChats(deps, requireActor(request), request.query.view),
  );
  r.get(
    '/api/v1/chats/:id',
    {
      schema: {
        tags,
        summary: 'A chat with the whole conversation and what the bot tried',
        params: IdParams,
        response: { 200: ChatDetailView, ...errorResponses },
      },
    },
    async (request) => detail(await readChat(deps, requireActor(request), request.params.id)),
  );
  r.get(
    '/api/v1/chats/:id/messages',
    {
      schema: {
        tags,
        summary: 'Messages after a seq',
        params: IdParams,
        querystring: ChatMessagesQuery,
        response: { 200: ChatMessagesPage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await chatMessagesFor(
        deps,
        requireActor(request),
        request.params.id,
        request.query.after,
        request.query.limit,
      );
      return { items: page.items.map((m) => presentChatMessage(m, 'staff')), lastSeq: page.lastSeq };
    },
  );
  r.post(
    '/api/v1/chats/:id/accept',
    {
      schema: {
        tags,
        summary:
          'Take a waiting chat: only while online (409 `chat.not_online` otherwise, with `details.presence`), within the per-agent limit of chats at once (409 `chat.limit_reached`)',
        params: IdParams,
        body: z.strictObject({}).optional(),
        response: { 200: ChatDetailView, ...errorResponses },
      },
    },
    async (request) => detail(await acceptChat(deps, requireActor(request), request.params.id)),
  );
  r.post(
    '/api/v1/chats/:id/messages',
    {
      schema: {
        tags,
        summary: 'Write to the customer; 201 stored, 200 when this clientMessageId was stored before',
        params: IdParams,
        body: AgentChatMessageCreate,
        response: { 200: ChatMessageView, 201: ChatMessageView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { message, replayed } = await agentReply(deps, requireActor(request), request.params.id, request.body);
      return reply.status(replayed ? 200 : 201).send(presentChatMessage(message, 'staff'));
    },
  );
  r.post(
    '/api/v1/chats/:id/typing',
    {
      schema: {
        tags,
        summary: 'I am typing (or stopped): shown to the customer',
        params: IdParams,
        body: ChatTyping,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await agentTyping(deps, requireActor(request), request.params.id, request.body.typing);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/api/v1/chats/:id/transfer',
    {
      schema: {
        tags,
        summary: 'Hand the chat to a colleague (within their limit) or to a team’s queue (tier 2)',
        params: IdParams,
        body: ChatTransfer,
        response: { 200: ChatDetailView, ...errorResponses },
      },
    },
    async (request) => detail(await transferChat(deps, requireActor(request), request.params.id, request.body)),
  );
  r.post(
    '/api/v1/chats/:id/end',
    {
      schema: {
        tags,
        summary:
          'End the chat: settled on the spot, recorded as a contact on the customer’s history (counts for first-contact resolution)',
        params: IdParams,
        body: ChatEnd.optional(),
        response: { 200: ChatDetailView, ...errorResponses },
      },
    },
    async (request) => detail(await endChat(deps, requireActor(request), request.params.id, request.body?.note)),
  );
  r.post(
    '/api/v1/chats/:id/ticket',
    {
      schema: {
        tags,
        summary: 'Turn the chat into a ticket for follow-up: transcript attached, you are its first-contact owner',
        params: IdParams,
        body: ChatToTicket,
        response: { 201: ChatTicketRef, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await chatToTicket(deps, requireActor(request), request.params.id, request.body)),
  );

  r.get(
    '/api/v1/settings/chat',
    {
      schema: {
        tags: ['settings'],
        summary:
          'Chat settings: bot threshold, chats per agent, first response target, wait before leaving a message, queue, service hours (admin)',
        response: { 200: ChatSettingsView, ...errorResponses },
      },
    },
    async (request) => readChatSettings(deps, requireActor(request)),
  );
  r.put(
    '/api/v1/settings/chat',
    {
      schema: {
        tags: ['settings'],
        summary: 'Set the chat settings (admin)',
        body: ChatSettings,
        response: { 200: ChatSettingsView, ...errorResponses },
      },
    },
    async (request) => setChatSettings(deps, requireActor(request), request.body),
  );
  r.delete(
    '/api/v1/settings/chat',
    {
      schema: {
        tags: ['settings'],
        summary: 'Back to the default chat settings (admin)',
        response: { 200: ChatSettingsView, ...errorResponses },
      },
    },
    async (request) => resetChatSettings(deps, requireActor(request)),
  );
}

/** The app and WeChat gateways (signed with the channel's secret). */
export function chatGatewayRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const params = z.strictObject({ channel: GatewayChatChannel });
  r.post(
    '/api/v1/channels/:channel/chat/messages',
    {
      schema: {
        tags: ['channels'],
        summary:
          'A chat message from an app or WeChat user (HMAC-signed like the channel webhook); opens a conversation for the user when none is open. 201 stored with the bot’s answer; 200 a retried clientMessageId',
        params,
        body: GatewayChatMessage,
        response: { 200: GatewayChatStored, 201: GatewayChatStored, ...errorResponses },
      },
    },
    async (request, reply) => {
      const stored = await receiveGatewayChat(deps, request.params.channel, request.body);
      return reply.status(stored.replayed ? 200 : 201).send({
        conversationId: stored.conversationId,
        message: presentChatMessage(stored.message),
        replies: customer(stored.replies),
        conversation: stored.conversation,
      });
    },
  );
  r.post(
    '/api/v1/channels/:channel/chat/poll',
    {
      schema: {
        tags: ['channels'],
        summary:
          'Messages after a seq of one of this channel’s conversations, for the gateway to push to its user (signed)',
        params,
        body: GatewayChatPoll,
        response: { 200: GatewayChatPage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await gatewayMessages(deps, request.params.channel, request.body.conversationId, request.body.after);
      return { ...page, items: customer(page.items) };
    },
  );
}
