import { eq } from 'drizzle-orm';
import { canAdminister, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import {
  assertTemplateValid,
  DEFAULT_SURVEY_TEMPLATES,
  SURVEY_TEMPLATE_KINDS,
  TEMPLATE_LANGUAGES,
  type SurveyTemplateKind,
  type TemplateLanguage,
} from '../../core/surveys/templates.js';
import type { DbOrTx } from '../../db/client.js';
import { appSettings, surveyTemplates } from '../../db/schema.js';
import type { Deps } from '../deps.js';

// Survey texts per kind and language (data, edited in the admin console) and whether SMS surveys
// ask the NPS question after the digit (a console setting, off until an administrator turns it on).

export type SurveyTexts = Record<SurveyTemplateKind, Record<TemplateLanguage, string>>;

/** The app_settings key of the "ask NPS by SMS" switch. */
const SMS_NPS = 'survey_sms_nps';

function requireAdmin(actor: Actor) {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators change survey texts');
}

/** Every kind's texts: the stored ones, else the shipped default for a missing row. */
export async function loadSurveyTexts(db: DbOrTx): Promise<SurveyTexts> {
  const rows = await db.select().from(surveyTemplates);
  const texts = Object.fromEntries(
    SURVEY_TEMPLATE_KINDS.map((k) => [k, { ...DEFAULT_SURVEY_TEMPLATES[k] }]),
  ) as SurveyTexts;
  for (const r of rows) if (texts[r.kind]) texts[r.kind][r.language] = r.body;
  return texts;
}

/** Whether an SMS survey asks the NPS question after the CSAT digit. */
export async function smsNpsEnabled(db: DbOrTx): Promise<boolean> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, SMS_NPS));
  return row?.value === true;
}

export async function readSurveyTemplates(deps: Deps, actor: Actor) {
  requireAdmin(actor);
  const texts = await loadSurveyTexts(deps.db);
  return {
    items: SURVEY_TEMPLATE_KINDS.map((kind) => ({ kind, ...texts[kind] })),
    smsNps: await smsNpsEnabled(deps.db),
  };
}

/** Replaces one kind's texts (both languages at once, checked together). */
export async function saveSurveyTemplate(
  deps: Deps,
  actor: Actor,
  kind: SurveyTemplateKind,
  bodies: Record<TemplateLanguage, string>,
) {
  requireAdmin(actor);
  const trimmed = { zh: bodies.zh.trim(), en: bodies.en.trim() };
  assertTemplateValid(kind, trimmed);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    for (const language of TEMPLATE_LANGUAGES)
      await tx
        .insert(surveyTemplates)
        .values({ kind, language, body: trimmed[language], updatedAt: now })
        .onConflictDoUpdate({
          target: [surveyTemplates.kind, surveyTemplates.language],
          set: { body: trimmed[language], updatedAt: now },
        });
  });
  return readSurveyTemplates(deps, actor);
}

export async function setSmsNps(deps: Deps, actor: Actor, enabled: boolean) {
  requireAdmin(actor);
  const now = deps.clock.now();
  await deps.db
    .insert(appSettings)
    .values({ key: SMS_NPS, value: enabled, updatedAt: now })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: enabled, updatedAt: now } });
  return readSurveyTemplates(deps, actor);
}
