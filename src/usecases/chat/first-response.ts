import { and, asc, inArray, isNull, lte } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import { chatConversations } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { chatSettingsOf } from './chat-settings.js';
import { announceChat, changeOf } from './chat-store.js';

// The first human response clock (30 s by default): a chat handed to a person and not answered
// by one within the target gets its warning once, announced live to the agent and supervisors.
// Rows are claimed with SKIP LOCKED, so every node may run the job at once.

export async function warnFirstResponses(deps: Deps, batch = 100): Promise<{ warned: number }> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const settings = await chatSettingsOf(tx);
    const due = new Date(now.getTime() - settings.firstResponseSeconds * 1000);
    const rows = await tx
      .select()
      .from(chatConversations)
      .where(
        and(
          inArray(chatConversations.state, ['queued', 'assigned']),
          isNull(chatConversations.firstHumanResponseAt),
          isNull(chatConversations.firstResponseWarnedAt),
          lte(chatConversations.queuedAt, due),
        ),
      )
      .orderBy(asc(chatConversations.queuedAt))
      .limit(batch)
      .for('update', { skipLocked: true });
    for (const c of rows) {
      await tx.update(chatConversations).set({ firstResponseWarnedAt: now }).where(eq(chatConversations.id, c.id));
      await announceChat(tx, changeOf(c, 'first_response_warning'));
    }
    return { warned: rows.length };
  });
}
