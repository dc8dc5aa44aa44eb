import { and, asc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { idleEnding, outcomeOnEnd } from '../../core/chat/conversation.js';
import { chatConversations } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { chatSettingsOf } from './chat-settings.js';
import { endConversation } from './customer-chat.js';

// Abandoned chats end by themselves (the customer-inactivity limit, a chat setting, 10 minutes): a
// queued chat whose customer closed the page, a served chat whose customer stopped answering. The
// query finds the candidates, the core decides (idleEnding), the chat ends with a system line saying
// why, the agent's slot is freed and desks, wallboard and stream hear of it at commit. Rows are
// claimed with SKIP LOCKED and re-checked under the lock, so two nodes never end one chat twice.

export async function endIdleChats(deps: Deps, batch = 100): Promise<{ ended: number }> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const settings = await chatSettingsOf(tx);
    const due = new Date(now.getTime() - settings.customerIdleSeconds * 1000);
    const c = chatConversations;
    const rows = await tx
      .select()
      .from(c)
      .where(
        or(
          and(
            eq(c.state, 'queued'),
            sql`greatest(${c.queuedAt}, ${c.customerMessageAt}, ${c.customerStreamAt}) <= ${due.toISOString()}::timestamptz`,
          ),
          and(
            eq(c.state, 'assigned'),
            lte(c.agentMessageAt, due),
            or(isNull(c.customerMessageAt), lt(c.customerMessageAt, c.agentMessageAt)),
          ),
        ),
      )
      .orderBy(asc(c.updatedAt))
      .limit(batch)
      .for('update', { skipLocked: true });
    let ended = 0;
    for (const row of rows) {
      const why = idleEnding(row, settings.customerIdleSeconds, now);
      if (!why) continue;
      const outcome = outcomeOnEnd(row.state, row.firstHumanResponseAt !== null);
      await endConversation(tx, row, { outcome, by: 'system', kind: why }, now);
      ended++;
    }
    return { ended };
  });
}
