import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { canAdminister, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { mergeKpiSettings, weightProblems, type KpiSettings } from '../../core/kpi/settings.js';
import { KpiSettingsBody } from '../../contracts/kpi.js';
import type { DbOrTx } from '../../db/client.js';
import { appSettings, kpiCursors, kpiSubscriberBase } from '../../db/schema.js';
import type { Deps } from '../deps.js';

// KPI targets, the FCR window, handling-time targets and appraisal weights: handbook defaults
// until an administrator stores their own (app_settings `kpi_settings`).

const KEY = 'kpi_settings';

export async function kpiSettingsOf(db: DbOrTx): Promise<KpiSettings> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, KEY));
  return mergeKpiSettings(row?.value ?? null);
}

export async function readKpiSettings(deps: Deps) {
  const [settings, base] = await Promise.all([
    kpiSettingsOf(deps.db),
    deps.db.select().from(kpiSubscriberBase).orderBy(kpiSubscriberBase.region),
  ]);
  return {
    settings,
    subscriberBase: base.map((b) => ({ region: b.region, subscribers: b.subscribers })),
  };
}

/**
 * Stores new settings (admin). A change of the FCR window or the handling-time targets changes
 * what each ticket contributes, so the facts are rebuilt: the facts job reads the timeline again
 * from the start (recomputing a ticket is idempotent, so only the differences are applied).
 */
export async function setKpiSettings(deps: Deps, actor: Actor, body: z.output<typeof KpiSettingsBody>) {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators change KPI settings');
  await deps.db.transaction(async (tx) => {
    const before = await kpiSettingsOf(tx);
    const next = mergeKpiSettings(body, before);
    const problems = weightProblems(next.weights);
    if (problems.length > 0) throw new AppError('kpi.invalid_weights', problems.join('; '), { problems });
    const now = deps.clock.now();
    await tx
      .insert(appSettings)
      .values({ key: KEY, value: next, updatedAt: now })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: next, updatedAt: now } });
    if (
      before.fcrWindowDays !== next.fcrWindowDays ||
      JSON.stringify(before.handlingTargetHours) !== JSON.stringify(next.handlingTargetHours)
    )
      await tx.update(kpiCursors).set({ lastEventId: 0, updatedAt: now }).where(eq(kpiCursors.name, 'facts'));
  });
  return readKpiSettings(deps);
}

/** Sets (or with null removes) the subscriber base of a region (admin). */
export async function setSubscriberBase(deps: Deps, actor: Actor, region: string, subscribers: number | null) {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators enter subscriber bases');
  const now = deps.clock.now();
  if (subscribers === null) await deps.db.delete(kpiSubscriberBase).where(eq(kpiSubscriberBase.region, region));
  else
    await deps.db
      .insert(kpiSubscriberBase)
      .values({ region, subscribers, updatedAt: now })
      .onConflictDoUpdate({ target: kpiSubscriberBase.region, set: { subscribers, updatedAt: now } });
  return readKpiSettings(deps);
}
