import { and, eq, ne, sql } from 'drizzle-orm';
import type { ChatLanguage } from '../../core/chat/types.js';
import { chatConversations } from '../../db/schema.js';
import { findOrCreateCustomer } from '../customers/find-or-create-customer.js';
import { normaliseMsisdn } from '../customers/customers.js';
import { chatSettingsOf } from './chat-settings.js';
import { customerViewOf } from './chat-rules.js';
import { messagesAfter } from './chat-store.js';
import { postCustomerMessage, startChat, type ChatDeps, type StoredMessage } from './customer-chat.js';
import { AppError } from '../../core/errors/app-error.js';

// The app and WeChat gateways relay their users' chat messages (signed like the webhooks): one
// open conversation per user, opened by the first message. The number the gateway verified (the
// app's sign-in, WeChat's bound number) counts as a sign-in: personal answers allowed.

export async function receiveGatewayChat(
  deps: ChatDeps,
  channel: 'app' | 'wechat',
  input: {
    externalUserId: string;
    clientMessageId: string;
    body: string;
    language?: ChatLanguage | undefined;
    verifiedPhone?: string | undefined;
  },
): Promise<StoredMessage & { conversationId: string }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    // One user's messages open one conversation, however many arrive at once.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`chat:${channel}:${input.externalUserId}`}))`);
    const [open] = await tx
      .select({ id: chatConversations.id })
      .from(chatConversations)
      .where(
        and(
          eq(chatConversations.channel, channel),
          eq(chatConversations.externalUserId, input.externalUserId),
          ne(chatConversations.state, 'ended'),
        ),
      )
      .limit(1);
    let id = open?.id;
    if (!id) {
      const msisdn = input.verifiedPhone ? normaliseMsisdn(input.verifiedPhone) : undefined;
      const customerId = await findOrCreateCustomer(
        tx,
        { msisdn, identity: { channel, externalUserId: input.externalUserId } },
        null,
        now,
      );
      const started = await startChat(
        deps,
        {
          channel,
          language: input.language ?? 'zh',
          customerId,
          verified: Boolean(msisdn),
          externalUserId: input.externalUserId,
        },
        tx,
      );
      id = started.id;
    }
    const stored = await postCustomerMessage(deps, id, input, tx);
    return { ...stored, conversationId: id };
  });
}

/** What the gateway pushes to its user: the messages after `after` of a conversation of this channel. */
export async function gatewayMessages(
  deps: ChatDeps,
  channel: 'app' | 'wechat',
  conversationId: string,
  after: number,
) {
  const [c] = await deps.db
    .select()
    .from(chatConversations)
    .where(and(eq(chatConversations.id, conversationId), eq(chatConversations.channel, channel)));
  if (!c) throw new AppError('chat.not_found', 'No such chat on this channel');
  const rows = await messagesAfter(deps.db, c.id, after, 500);
  return {
    items: rows,
    lastSeq: c.lastSeq,
    conversation: await customerViewOf(deps.db, c, await chatSettingsOf(deps.db), deps.clock.now()),
  };
}
