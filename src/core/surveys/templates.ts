import { AppError } from '../errors/app-error.js';

// Survey texts are data (the `survey_templates` table, edited in the admin console): one text per
// kind and language, with placeholders. A kind is the channel the survey goes out on and how it
// is answered. The message joins the languages' texts (Chinese first); an empty text leaves its
// language out, so an operator can send Chinese only.

export const SURVEY_TEMPLATE_KINDS = [
  /** SMS asking for a digit 1–5. */
  'sms_rating',
  /** SMS asking the optional NPS question (0–10) after the digit. */
  'sms_nps',
  /** SMS with the link to the survey page (online customers reached only by SMS). */
  'sms_link',
  'email_link',
  'wechat_link',
  'app_link',
] as const;
export type SurveyTemplateKind = (typeof SURVEY_TEMPLATE_KINDS)[number];

export const TEMPLATE_LANGUAGES = ['zh', 'en'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

export const SURVEY_PLACEHOLDERS = ['ticketNumber', 'link'] as const;
export type SurveyPlaceholder = (typeof SURVEY_PLACEHOLDERS)[number];

/** The placeholders a kind must contain ({link} for link kinds) and may contain. */
export function placeholdersOf(kind: SurveyTemplateKind): {
  required: SurveyPlaceholder[];
  allowed: SurveyPlaceholder[];
} {
  if (kind.endsWith('_link')) return { required: ['link'], allowed: ['ticketNumber', 'link'] };
  return { required: [], allowed: ['ticketNumber'] };
}

/** Longest text per language: an SMS is split by the gateway, but a survey should stay short. */
export const TEMPLATE_MAX_CHARS = 500;

/** The separator between the languages' texts in one message. */
export const LANGUAGE_SEPARATOR = ' / ';

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/**
 * Throws unless the texts of one kind are usable: each names only the kind's placeholders, each
 * non-empty one has the required ones, and at least one language has a text.
 */
export function assertTemplateValid(kind: SurveyTemplateKind, bodies: Record<TemplateLanguage, string>): void {
  const { required, allowed } = placeholdersOf(kind);
  const issues: { language: TemplateLanguage; problem: string; placeholder?: string }[] = [];
  for (const language of TEMPLATE_LANGUAGES) {
    const body = bodies[language].trim();
    if (!body) continue;
    const used = [...body.matchAll(PLACEHOLDER)].map((m) => m[1]!);
    for (const u of used)
      if (!(allowed as string[]).includes(u)) issues.push({ language, problem: 'unknown_placeholder', placeholder: u });
    for (const r of required)
      if (!used.includes(r)) issues.push({ language, problem: 'missing_placeholder', placeholder: r });
  }
  if (TEMPLATE_LANGUAGES.every((l) => !bodies[l].trim())) issues.push({ language: 'zh', problem: 'empty' });
  if (issues.length > 0)
    throw new AppError(
      'survey_template.invalid',
      'The survey text has placeholders it cannot use or lacks one it needs',
      {
        kind,
        issues,
      },
    );
}

/** The message for one kind: each language's text with its placeholders filled, Chinese first. */
export function renderSurveyMessage(
  bodies: Partial<Record<TemplateLanguage, string>>,
  values: Partial<Record<SurveyPlaceholder, string>>,
): string {
  return TEMPLATE_LANGUAGES.map((l) => (bodies[l] ?? '').trim())
    .filter((b) => b.length > 0)
    .map((b) =>
      b.replace(PLACEHOLDER, (whole, name: string) =>
        (SURVEY_PLACEHOLDERS as readonly string[]).includes(name)
          ? (values[name as SurveyPlaceholder] ?? whole)
          : whole,
      ),
    )
    .join(LANGUAGE_SEPARATOR);
}

/** Which template a survey uses: how it is answered and the channel it goes out on. */
export function surveyTemplateKind(mode: 'sms_digit' | 'link', deliveryChannel: string): SurveyTemplateKind {
  if (mode === 'sms_digit') return 'sms_rating';
  switch (deliveryChannel) {
    case 'email':
      return 'email_link';
    case 'wechat':
      return 'wechat_link';
    case 'app':
      return 'app_link';
    default:
      return 'sms_link';
  }
}

/**
 * The texts shipped with the product (also seeded by migration 0026): used for a kind whose rows
 * are missing, so a survey always has words.
 */
export const DEFAULT_SURVEY_TEMPLATES: Record<SurveyTemplateKind, Record<TemplateLanguage, string>> = {
  sms_rating: {
    zh: '【满意度调查】您的工单 {ticketNumber} 已处理完毕。请回复数字 1–5 评价我们的服务（5 = 非常满意，1 = 非常不满意）。回复 TD 退订。',
    en: 'Your ticket {ticketNumber} is resolved. Reply with a digit 1-5 to rate our service (5 = very satisfied, 1 = very dissatisfied). Reply TD to opt out.',
  },
  sms_nps: {
    zh: '感谢评价！您有多大可能向亲友推荐我们？请回复 0–10（10 = 非常可能）。',
    en: 'Thank you! How likely are you to recommend us to a friend? Reply 0-10 (10 = very likely).',
  },
  sms_link: {
    zh: '【满意度调查】您的工单 {ticketNumber} 已处理完毕，请花一分钟评价我们的服务：{link}',
    en: 'Your ticket {ticketNumber} is resolved. Please take a minute to rate our service: {link}',
  },
  email_link: {
    zh: '【满意度调查】您的工单 {ticketNumber} 已处理完毕，请花一分钟评价我们的服务：{link}',
    en: 'Your ticket {ticketNumber} is resolved. Please take a minute to rate our service: {link}',
  },
  wechat_link: {
    zh: '【满意度调查】您的工单 {ticketNumber} 已处理完毕，请花一分钟评价我们的服务：{link}',
    en: 'Your ticket {ticketNumber} is resolved. Please take a minute to rate our service: {link}',
  },
  app_link: {
    zh: '【满意度调查】您的工单 {ticketNumber} 已处理完毕，请花一分钟评价我们的服务：{link}',
    en: 'Your ticket {ticketNumber} is resolved. Please take a minute to rate our service: {link}',
  },
};
