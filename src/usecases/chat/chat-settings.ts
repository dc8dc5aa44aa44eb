import { eq } from 'drizzle-orm';
import { canAdminister, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { ChatSettings } from '../../contracts/chat.js';
import type { DbOrTx } from '../../db/client.js';
import { appSettings } from '../../db/schema.js';
import type { Deps } from '../deps.js';

// The chat settings, kept where the other console settings live (app_settings, key `chat`); until
// an administrator sets them, the defaults below apply.

const KEY = 'chat';

export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  botConfidenceThreshold: 0.6,
  agentChatLimit: 3,
  firstResponseSeconds: 30,
  leaveMessageAfterSeconds: 120,
  queueTeamCode: 'frontline',
  calendarId: null,
  customerIdleSeconds: 600,
};

async function stored(db: DbOrTx): Promise<ChatSettings | null> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, KEY));
  if (!row) return null;
  const parsed = ChatSettings.safeParse(row.value);
  return parsed.success ? parsed.data : null;
}

export async function chatSettingsOf(db: DbOrTx): Promise<ChatSettings> {
  return (await stored(db)) ?? DEFAULT_CHAT_SETTINGS;
}

function requireAdmin(actor: Actor) {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators change settings');
}

export async function readChatSettings(deps: Deps, actor: Actor) {
  requireAdmin(actor);
  const s = await stored(deps.db);
  return { settings: s ?? DEFAULT_CHAT_SETTINGS, source: s ? ('database' as const) : ('default' as const) };
}

export async function setChatSettings(deps: Deps, actor: Actor, settings: ChatSettings) {
  requireAdmin(actor);
  const now = deps.clock.now();
  await deps.db
    .insert(appSettings)
    .values({ key: KEY, value: settings, updatedAt: now })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: settings, updatedAt: now } });
  return readChatSettings(deps, actor);
}

export async function resetChatSettings(deps: Deps, actor: Actor) {
  requireAdmin(actor);
  await deps.db.delete(appSettings).where(eq(appSettings.key, KEY));
  return readChatSettings(deps, actor);
}
