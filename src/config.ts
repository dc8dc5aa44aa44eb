import type { IncidentSettings } from './core/incidents/incidents.js';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { parseImapUrl, type ImapMailbox } from './channels/email/imap-url.js';
import { DEFAULT_PRIORITY_WEIGHTS, type PriorityWeights } from './core/tickets/priority.js';
import { type IntakeQueues } from './core/routing/intake.js';
import { CHURN_COUNT_FACTORS, DEFAULT_CHURN_WEIGHTS, type ChurnWeights } from './core/customers/churn-risk.js';
import { CHANNELS, CUSTOMER_TIERS, TICKET_TYPES, type Channel } from './core/tickets/types.js';
import type { SurveySettings } from './core/surveys/rules.js';
import type { QaSettings } from './core/quality/settings.js';
import type { RegulatorSettings } from './core/regulator/referrals.js';
import type { PrivacySettings } from './core/privacy/requests.js';
import { MIN_ACCESS_LOG_DAYS, type RetentionSettings } from './core/privacy/retention.js';
import type { KnowledgeReviewSettings } from './core/knowledge/review.js';

// Parsed once at boot; a wrong setting stops start-up with a message naming the variable.

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const weight = z.number().int().min(0).max(100);
const weightsOf = <K extends string>(keys: readonly K[]) =>
  z.strictObject(
    Object.fromEntries(keys.map((k) => [k, weight.optional()])) as Record<K, z.ZodOptional<typeof weight>>,
  );

/** Priority weights as JSON; each part given replaces that part of the defaults (DEFAULT_PRIORITY_WEIGHTS). */
const PriorityWeightsSetting = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"grade":{"urgent":6},"thresholds":[7,5,2]}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.strictObject({
      grade: z.record(z.string().min(1), weight).optional(),
      type: weightsOf(TICKET_TYPES).optional(),
      tier: weightsOf(CUSTOMER_TIERS).optional(),
      thresholds: z
        .tuple([weight, weight, weight])
        .refine(([p1, p2, p3]) => p1 > p2 && p2 > p3, 'thresholds for P1, P2, P3 must be strictly descending')
        .optional(),
    }),
  )
  .transform((w): PriorityWeights => ({
    grade: { ...DEFAULT_PRIORITY_WEIGHTS.grade, ...w.grade },
    type: { ...DEFAULT_PRIORITY_WEIGHTS.type, ...definedOnly(w.type) },
    tier: { ...DEFAULT_PRIORITY_WEIGHTS.tier, ...definedOnly(w.tier) },
    thresholds: w.thresholds ?? DEFAULT_PRIORITY_WEIGHTS.thresholds,
  }));

const jsonSetting = (example: string) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be JSON, e.g. ${example}` });
      return z.NEVER;
    }
  });

const points = z.number().int().min(0).max(100);
const factorWeight = z.strictObject({ points: points.optional(), max: points.optional() });

/** Churn-risk weights as JSON; each part given replaces that part of the defaults (DEFAULT_CHURN_WEIGHTS). */
const ChurnWeightsSetting = jsonSetting('{"factors":{"sla_breaches":{"points":15}},"thresholds":{"high":70}}')
  .pipe(
    z.strictObject({
      factors: z
        .strictObject(
          Object.fromEntries(CHURN_COUNT_FACTORS.map((k) => [k, factorWeight.optional()])) as Record<
            (typeof CHURN_COUNT_FACTORS)[number],
            z.ZodOptional<typeof factorWeight>
          >,
        )
        .optional(),
      tier: z
        .strictObject(
          Object.fromEntries(CUSTOMER_TIERS.map((k) => [k, points.optional()])) as Record<
            (typeof CUSTOMER_TIERS)[number],
            z.ZodOptional<typeof points>
          >,
        )
        .optional(),
      newCustomer: z
        .strictObject({ days: z.number().int().min(0).max(3650).optional(), points: points.optional() })
        .optional(),
      lowRatingAtMost: z.number().int().min(1).max(5).optional(),
      windowDays: z.number().int().min(1).max(730).optional(),
      thresholds: z.strictObject({ medium: points.optional(), high: points.optional() }).optional(),
    }),
  )
  .transform((w): ChurnWeights => ({
    factors: Object.fromEntries(
      CHURN_COUNT_FACTORS.map((k) => [k, { ...DEFAULT_CHURN_WEIGHTS.factors[k], ...definedOnly(w.factors?.[k]) }]),
    ) as ChurnWeights['factors'],
    tier: { ...DEFAULT_CHURN_WEIGHTS.tier, ...definedOnly(w.tier) },
    newCustomer: { ...DEFAULT_CHURN_WEIGHTS.newCustomer, ...definedOnly(w.newCustomer) },
    lowRatingAtMost: w.lowRatingAtMost ?? DEFAULT_CHURN_WEIGHTS.lowRatingAtMost,
    windowDays: w.windowDays ?? DEFAULT_CHURN_WEIGHTS.windowDays,
    thresholds: { ...DEFAULT_CHURN_WEIGHTS.thresholds, ...definedOnly(w.thresholds) },
  }))
  .refine((w) => w.thresholds.medium > 0 && w.thresholds.medium < w.thresholds.high, {
    message: 'thresholds: medium must be above 0 and below high',
  });

const definedOnly = <T extends object>(o: T | undefined) =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]-?: Exclude<T[K], undefined>;
  };

const PROCESSES = 'must be a whole number from 1 to 64, or auto (one per CPU)';

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  LOOPDESK_DATA_DIR: z.string().min(1).default('./data'),
  LOOPDESK_DEMO_DATA: boolish.default(true),
  LOOPDESK_COOKIE_SECURE: boolish.default(false),
  LOOPDESK_SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  LOOPDESK_TIME_ZONE: z.string().default('Asia/Shanghai'),
  LOOPDESK_ATTACHMENT_MAX_MB: z.coerce.number().positive().max(1024).default(20),
  LOOPDESK_SLA_SWEEP_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  LOOPDESK_SLA_SWEEP_BATCH: z.coerce.number().int().min(1).max(10_000).default(200),
  LOOPDESK_ASSIGN_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  LOOPDESK_CHAT_SWEEP_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  LOOPDESK_CHAT_IDLE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  LOOPDESK_CHAT_PRESENCE_SECONDS: z.coerce.number().min(0.01).max(50).default(30),
  LOOPDESK_HOUSEKEEPING_SECONDS: z.coerce.number().min(0).max(86_400).default(3600),
  LOOPDESK_UNFILED_CALL_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  LOOPDESK_UNFILED_CALL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(10),
  LOOPDESK_AUTO_CLOSE_SECONDS: z.coerce.number().min(0).max(86_400).default(300),
  LOOPDESK_CONFIRMATION_WAIT_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  LOOPDESK_CLASSIFY_APPLY_AT: z.coerce.number().min(0).max(1).default(0.5),
  LOOPDESK_SURVEY_DISPATCH_SECONDS: z.coerce.number().min(0).max(86_400).default(60),
  LOOPDESK_SURVEY_DELAY_MINUTES: z.coerce.number().int().min(0).max(10_080).default(120),
  LOOPDESK_SURVEY_CAP_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  LOOPDESK_SURVEY_VALID_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  LOOPDESK_SURVEY_LOW_RATING: z.coerce.number().int().min(1).max(4).default(2),
  LOOPDESK_SURVEY_PROBLEM_RESPOND_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  LOOPDESK_SURVEY_PROBLEM_RESOLVE_HOURS: z.coerce.number().int().min(1).max(720).default(48),
  LOOPDESK_QA_SAMPLING_SECONDS: z.coerce.number().min(0).max(86_400).default(3600),
  LOOPDESK_CERT_REMINDER_SECONDS: z.coerce.number().min(0).max(86_400).default(3600),
  LOOPDESK_QA_SAMPLE_PERCENT: z.coerce.number().min(10).max(20).default(10),
  LOOPDESK_QA_MONTHLY_MINIMUM: z.coerce.number().int().min(0).max(100).default(5),
  LOOPDESK_QA_PASS_MARK: z.coerce.number().min(0).max(100).default(80),
  LOOPDESK_QA_SEPARATE_TEAMS: boolish.default(false),
  LOOPDESK_QA_CALENDAR: z.string().min(1).default('cn-business'),
  LOOPDESK_REGULATOR_FIRST_CONTACT_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  LOOPDESK_REGULATOR_LINK_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  LOOPDESK_KPI_FACTS_SECONDS: z.coerce.number().min(0).max(86_400).default(30),
  LOOPDESK_KPI_EXPORT_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  LOOPDESK_KPI_EXPORT_CLEANUP_SECONDS: z.coerce.number().min(0).max(86_400).default(3600),
  LOOPDESK_KPI_EXPORT_KEEP_DAYS: z.coerce.number().min(1).max(365).default(7),
  LOOPDESK_SCHEDULED_REPORTS_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  LOOPDESK_PRIVACY_DUE_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(15),
  LOOPDESK_PRIVACY_CALENDAR: z.string().min(1).default('cn-business'),
  LOOPDESK_PRIVACY_EXPORT_DAYS: z.coerce.number().int().min(1).max(30).default(7),
  LOOPDESK_PRIVACY_HOLD_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  LOOPDESK_PRIVACY_EXPORT_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  LOOPDESK_RETENTION_SECONDS: z.coerce.number().min(0).max(86_400).default(3600),
  LOOPDESK_RETENTION_CLOSED_TICKET_DAYS: z.coerce.number().int().min(30).max(36_500).default(1095),
  LOOPDESK_RETENTION_RECORDING_DAYS: z.coerce.number().int().min(1).max(36_500).default(183),
  LOOPDESK_RETENTION_PORTAL_CODE_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  LOOPDESK_RETENTION_ACCESS_LOG_DAYS: z.coerce
    .number()
    .int()
    .min(MIN_ACCESS_LOG_DAYS, `must be at least ${MIN_ACCESS_LOG_DAYS} (network logs are kept 6 months)`)
    .max(36_500)
    .default(365),
  LOOPDESK_RETENTION_OUTBOX_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
  LOOPDESK_RETENTION_CHAT_DAYS: z.coerce.number().int().min(30).max(36_500).default(1095),
  LOOPDESK_PRIVACY_HOLDS_SECONDS: z.coerce.number().min(0).max(86_400).default(3600),
  LOOPDESK_KB_REVIEW_SECONDS: z.coerce.number().min(0).max(86_400).default(3600),
  LOOPDESK_KB_VERIFY_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  LOOPDESK_KB_UNHELPFUL_COUNT: z.coerce.number().int().min(1).max(1000).default(3),
  LOOPDESK_KB_UNHELPFUL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  LOOPDESK_INCIDENT_DETECT_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  LOOPDESK_INCIDENT_THRESHOLD: z.coerce.number().int().min(2).max(100_000).default(10),
  LOOPDESK_INCIDENT_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  LOOPDESK_INCIDENT_NOTICE_SECONDS: z.coerce.number().min(0).max(3600).default(15),
  LOOPDESK_INCIDENT_NOTICE_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  LOOPDESK_INCIDENT_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  LOOPDESK_QUIET_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must look like 22:00-08:00')
    .default('22:00-08:00'),
  LOOPDESK_REPAIR_LIMIT_HOURS: z
    .string()
    .regex(/^city=\d{1,4},rural=\d{1,4}$/, 'must look like city=48,rural=72')
    .default('city=48,rural=72'),
  LOOPDESK_REMEDY_APPROVAL_ABOVE: z
    .string()
    .regex(/^data_pack=\d{1,9},fee_waiver=\d{1,9}$/, 'must look like data_pack=10240,fee_waiver=5000 (MB, fen)')
    .default('data_pack=10240,fee_waiver=5000'),
  LOOPDESK_WEBHOOK_SECRETS: z
    .string()
    .regex(
      /^(sms|wechat|app|hotline)=[^,=]{16,}(,(sms|wechat|app|hotline)=[^,=]{16,})*$/,
      'must look like sms=SECRET,wechat=SECRET,hotline=SECRET (secrets of 16+ characters)',
    )
    .optional(),
  LOOPDESK_OUTBOUND_WEBHOOKS: z
    .string()
    .regex(
      /^(sms|wechat|app)=https?:\/\/[^,]+(,(sms|wechat|app)=https?:\/\/[^,]+)*$/,
      'must look like sms=https://gateway/sms,wechat=https://gateway/wechat',
    )
    .optional(),
  LOOPDESK_OUTBOUND_SECRET: z.string().min(16, 'must be 16+ characters').optional(),
  LOOPDESK_PUBLIC_URL: z.url().optional(),
  LOOPDESK_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  LOOPDESK_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  LOOPDESK_MAIL_MAX_MB: z.coerce.number().positive().max(200).default(25),
  LOOPDESK_SMTP_RELAY_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  LOOPDESK_MAIL_FROM: z.string().min(3).default('Loopdesk 客服中心 <service@loopdesk.local>'),
  LOOPDESK_MAIL_DOMAIN: z.string().min(3).default('loopdesk.local'),
  LOOPDESK_IMAP_URL: z
    .string()
    .regex(/^imaps?:\/\/[^@/]+@[^/]+/, 'must look like imaps://user:password@host/INBOX')
    .optional(),
  LOOPDESK_IMAP_POLL_SECONDS: z.coerce.number().min(5).max(3600).default(60),
  LOOPDESK_IMAP_MOVE_TO: z.string().min(1).optional(),
  LOOPDESK_INTAKE_QUEUES: z
    .string()
    .regex(
      new RegExp(`^((${CHANNELS.join('|')})=)?[\\w-]+(,((${CHANNELS.join('|')})=)?[\\w-]+)*$`),
      `must look like frontline or sms=sms-desk,email=mail-desk,frontline (team codes; channels: ${CHANNELS.join(', ')})`,
    )
    .default('frontline'),
  LOOPDESK_OUTBOX_SECONDS: z.coerce.number().min(0).max(3600).default(2),
  LOOPDESK_TRUST_PROXY: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => list.every(isProxyAddress),
      'must be a comma-separated list of proxy addresses or CIDR ranges, e.g. 10.0.0.5,10.1.0.0/16 (or loopback)',
    )
    .optional(),
  LOOPDESK_PRIORITY_WEIGHTS: PriorityWeightsSetting.optional(),
  LOOPDESK_CHURN_WEIGHTS: ChurnWeightsSetting.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOOPDESK_MAX_IN_FLIGHT: z.coerce.number().int().min(0).max(1_000_000).default(128),
  LOOPDESK_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOOPDESK_PROCESSES: z
    .union([z.literal('auto'), z.coerce.number().int(PROCESSES).min(1, PROCESSES).max(64, PROCESSES)], {
      error: PROCESSES,
    })
    .default(1),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  demoData: boolean;
  cookieSecure: boolean;
  sessionHours: number;
  timeZone: string;
  attachmentMaxBytes: number;
  attachmentDir: string;
  /** How often this node sweeps SLA clocks; 0 = never (another process does it). */
  slaSweepMs: number;
  /** SLA clocks claimed per sweep transaction. */
  slaSweepBatch: number;
  /** How often this node hands waiting tickets of automatic queues to free agents; 0 = never. */
  assignMs: number;
  /** How often this node marks chats past the first human response target (0: it does not). */
  chatSweepMs: number;
  /** How often this node ends chats whose customer went away (the customer-inactivity limit; 0: it does not). */
  chatIdleMs: number;
  /** How often this node records that its open customer chat streams are still open (at most 50 s: under the 60 s minimum limit). */
  chatPresenceMs: number;
  /** How often this node deletes expired rows (rate-limit windows); 0 = never. */
  housekeepingMs: number;
  /** How often this node reminds agents of answered calls that became no ticket; 0 = never. */
  unfiledCallMs: number;
  /** How long after a call ends without a ticket its agent is reminded. */
  unfiledCallMinutes: number;
  /** How often this node closes resolved tickets whose customer never answered; 0 = never. */
  autoCloseMs: number;
  /** How long a resolved ticket waits for the customer's answer before it closes by itself. */
  confirmationWaitDays: number;
  /** Confidence from which a channel ticket takes the suggested classification (1: never). */
  classifyApplyAt: number;
  /** How often this node sends due satisfaction surveys; 0 = never. */
  surveyDispatchMs: number;
  /** Survey delay, frequency cap, answer window and low-rating threshold. */
  surveys: SurveySettings;
  /** How often this node checks for the day's QA sampling run and lapsed review windows; 0 = never. */
  qaSamplingMs: number;
  /** Certification expiry reminders (LOOPDESK_CERT_REMINDER_SECONDS; 0: this node does not send them). */
  certReminderMs: number;
  /** QA sampling rate, monthly minimum, pass mark, team separation and the calendar of its clocks. */
  qa: QaSettings;
  /** Regulator referrals: hours to the first contact with the customer, window of linked complaints. */
  regulator: RegulatorSettings;
  /** How often this node brings the KPI roll-up up to date from the timeline; 0 = never. */
  kpiFactsMs: number;
  kpiExportMs: number;
  /** How often this node removes export files past their retention; 0 = never. */
  kpiExportCleanupMs: number;
  /** Days a finished export's file can be downloaded; after that the file is removed (410 `export.expired`). */
  kpiExportKeepDays: number;
  scheduledReportsMs: number;
  /** Personal-data requests: statutory working days, their calendar, how long a copy can be downloaded. */
  privacy: PrivacySettings;
  /** How often this node builds requested copies of customers' data; 0 = never. */
  privacyExportMs: number;
  /** How often this node checks whether today's retention run is done; 0 = never. */
  retentionMs: number;
  /** Retention classes (days or hours per kind of data). */
  retention: RetentionSettings;
  /** How often this node tells the handlers of held deletions whose hold has ended; 0 = never. */
  privacyHoldsMs: number;
  /** How often this node gives owners of articles not verified for a while a review task; 0 = never. */
  knowledgeReviewMs: number;
  /** Days before an article needs verifying again; "not helpful" answers that open a review task. */
  knowledgeReview: KnowledgeReviewSettings;
  /** How often this node looks for candidate network incidents; 0 = never. */
  incidentDetectMs: number;
  /** How often this node queues proactive incident notices; 0 = never. */
  incidentNoticeMs: number;
  /** Customers per notice transaction (LOOPDESK_INCIDENT_NOTICE_BATCH). */
  incidentNoticeBatch: number;
  /** Detection threshold and window, repair limits, quiet hours, message rate, remedy approval thresholds. */
  incidents: IncidentSettings;
  /** HMAC secrets of the inbound channel webhooks; a channel without one is switched off. */
  webhookSecrets: Partial<Record<'sms' | 'wechat' | 'app' | 'hotline', string>>;
  /** Gateways for outbound SMS / WeChat / app messages; a channel without one is only logged (development). */
  outboundWebhooks: Partial<Record<'sms' | 'wechat' | 'app', string>>;
  outboundSecret: string | undefined;
  /** Inbound mail: the SMTP listener (off without a port), its size limit; outbound mail through a relay (logged without one). */
  smtp: {
    port: number | undefined;
    host: string;
    maxBytes: number;
    relayUrl: string | undefined;
    from: string;
    domain: string;
  };
  /** Inbound mail polled from an existing mailbox (off without a URL); taken-in mail is marked \Seen or moved. */
  imap: { mailbox: ImapMailbox; pollMs: number; moveTo: string | undefined } | undefined;
  /** Where customers reach this server (for links in notifications). */
  publicUrl: string;
  /** The team (code) that takes in each channel's tickets no routing rule places. */
  intakeQueues: IntakeQueues;
  /** How often this node delivers queued outbound messages; 0 = never. */
  outboxMs: number;
  /** Weights of grade, type and customer tier, and the score thresholds of P1–P3. */
  priorityWeights: PriorityWeights;
  /** Points per churn-risk factor, their caps, the window and the level thresholds. */
  churnWeights: ChurnWeights;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  /**
   * Proxies whose X-Forwarded-For is believed (addresses, CIDR ranges, or `loopback`,
   * `linklocal`, `uniquelocal`). Empty: none, the client address is the peer's, so nobody can
   * pick their own address to get around a per-address limit.
   */
  trustProxy: string[];
  /** Requests handled at once before new ones are answered 503 (health, /metrics and live streams exempt); 0 = no limit. */
  maxInFlight: number;
  /** The bearer token Prometheus sends to read /metrics; unset: /metrics is off (404). */
  metricsToken: string | undefined;
  /** Server processes on this machine (node:cluster); each is a node of its own. */
  processes: number;
};

export class ConfigError extends Error {}

const pairs = (setting: string) =>
  Object.fromEntries(setting.split(',').map((p) => [p.slice(0, p.indexOf('=')), Number(p.slice(p.indexOf('=') + 1))]));

function incidentSettingsOf(c: z.infer<typeof ConfigSchema>): IncidentSettings {
  const [start, end] = c.LOOPDESK_QUIET_HOURS.split('-') as [string, string];
  const limits = pairs(c.LOOPDESK_REPAIR_LIMIT_HOURS);
  const approval = pairs(c.LOOPDESK_REMEDY_APPROVAL_ABOVE);
  return {
    detection: { threshold: c.LOOPDESK_INCIDENT_THRESHOLD, windowMinutes: c.LOOPDESK_INCIDENT_WINDOW_MINUTES },
    repairLimits: { city: limits.city!, rural: limits.rural! },
    quietHours: { start, end },
    messagesPerMinute: c.LOOPDESK_INCIDENT_MESSAGES_PER_MINUTE,
    remedyThresholds: { data_pack: approval.data_pack!, fee_waiver: approval.fee_waiver! },
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.LOOPDESK_OUTBOUND_WEBHOOKS && !c.LOOPDESK_OUTBOUND_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  LOOPDESK_OUTBOUND_SECRET: required with LOOPDESK_OUTBOUND_WEBHOOKS (outbound requests are signed)',
    );
  }
  const processes = c.LOOPDESK_PROCESSES === 'auto' ? Math.min(64, availableParallelism()) : c.LOOPDESK_PROCESSES;
  if (processes > 1 && !c.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  LOOPDESK_PROCESSES: more than one process needs DATABASE_URL (the embedded database opens in one process only)',
    );
  }
  if (!isValidTimeZone(c.LOOPDESK_TIME_ZONE)) {
    throw new ConfigError(`Invalid configuration:\n  LOOPDESK_TIME_ZONE: unknown time zone`);
  }
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: c.LOOPDESK_DATA_DIR,
    demoData: c.LOOPDESK_DEMO_DATA,
    cookieSecure: c.LOOPDESK_COOKIE_SECURE,
    sessionHours: c.LOOPDESK_SESSION_HOURS,
    timeZone: c.LOOPDESK_TIME_ZONE,
    attachmentMaxBytes: Math.round(c.LOOPDESK_ATTACHMENT_MAX_MB * 1024 * 1024),
    attachmentDir: `${c.LOOPDESK_DATA_DIR}/attachments`,
    slaSweepMs: c.LOOPDESK_SLA_SWEEP_SECONDS * 1000,
    slaSweepBatch: c.LOOPDESK_SLA_SWEEP_BATCH,
    assignMs: c.LOOPDESK_ASSIGN_SECONDS * 1000,
    chatSweepMs: c.LOOPDESK_CHAT_SWEEP_SECONDS * 1000,
    chatIdleMs: c.LOOPDESK_CHAT_IDLE_SECONDS * 1000,
    chatPresenceMs: c.LOOPDESK_CHAT_PRESENCE_SECONDS * 1000,
    housekeepingMs: c.LOOPDESK_HOUSEKEEPING_SECONDS * 1000,
    autoCloseMs: c.LOOPDESK_AUTO_CLOSE_SECONDS * 1000,
    unfiledCallMs: c.LOOPDESK_UNFILED_CALL_SECONDS * 1000,
    unfiledCallMinutes: c.LOOPDESK_UNFILED_CALL_MINUTES,
    confirmationWaitDays: c.LOOPDESK_CONFIRMATION_WAIT_DAYS,
    classifyApplyAt: c.LOOPDESK_CLASSIFY_APPLY_AT,
    surveyDispatchMs: c.LOOPDESK_SURVEY_DISPATCH_SECONDS * 1000,
    kpiFactsMs: c.LOOPDESK_KPI_FACTS_SECONDS * 1000,
    kpiExportMs: c.LOOPDESK_KPI_EXPORT_SECONDS * 1000,
    kpiExportCleanupMs: c.LOOPDESK_KPI_EXPORT_CLEANUP_SECONDS * 1000,
    kpiExportKeepDays: c.LOOPDESK_KPI_EXPORT_KEEP_DAYS,
    scheduledReportsMs: c.LOOPDESK_SCHEDULED_REPORTS_SECONDS * 1000,
    knowledgeReviewMs: c.LOOPDESK_KB_REVIEW_SECONDS * 1000,
    knowledgeReview: {
      verifyDays: c.LOOPDESK_KB_VERIFY_DAYS,
      unhelpfulCount: c.LOOPDESK_KB_UNHELPFUL_COUNT,
      unhelpfulWindowDays: c.LOOPDESK_KB_UNHELPFUL_DAYS,
    },
    surveys: {
      delayMinutes: c.LOOPDESK_SURVEY_DELAY_MINUTES,
      capDays: c.LOOPDESK_SURVEY_CAP_DAYS,
      validDays: c.LOOPDESK_SURVEY_VALID_DAYS,
      lowRating: c.LOOPDESK_SURVEY_LOW_RATING,
      problemHours: {
        response: c.LOOPDESK_SURVEY_PROBLEM_RESPOND_HOURS,
        resolution: c.LOOPDESK_SURVEY_PROBLEM_RESOLVE_HOURS,
      },
    },
    qaSamplingMs: c.LOOPDESK_QA_SAMPLING_SECONDS * 1000,
    certReminderMs: c.LOOPDESK_CERT_REMINDER_SECONDS * 1000,
    qa: {
      sampleRate: c.LOOPDESK_QA_SAMPLE_PERCENT / 100,
      monthlyMinimum: c.LOOPDESK_QA_MONTHLY_MINIMUM,
      passMark: c.LOOPDESK_QA_PASS_MARK,
      separateTeams: c.LOOPDESK_QA_SEPARATE_TEAMS,
      calendarId: c.LOOPDESK_QA_CALENDAR,
    },
    regulator: {
      firstContactHours: c.LOOPDESK_REGULATOR_FIRST_CONTACT_HOURS,
      linkDays: c.LOOPDESK_REGULATOR_LINK_DAYS,
    },
    privacy: {
      dueWorkingDays: c.LOOPDESK_PRIVACY_DUE_WORKING_DAYS,
      calendarId: c.LOOPDESK_PRIVACY_CALENDAR,
      exportDays: c.LOOPDESK_PRIVACY_EXPORT_DAYS,
      holdDays: c.LOOPDESK_PRIVACY_HOLD_DAYS,
    },
    privacyExportMs: c.LOOPDESK_PRIVACY_EXPORT_SECONDS * 1000,
    retentionMs: c.LOOPDESK_RETENTION_SECONDS * 1000,
    privacyHoldsMs: c.LOOPDESK_PRIVACY_HOLDS_SECONDS * 1000,
    retention: {
      closedTicketDays: c.LOOPDESK_RETENTION_CLOSED_TICKET_DAYS,
      recordingDays: c.LOOPDESK_RETENTION_RECORDING_DAYS,
      portalCodeHours: c.LOOPDESK_RETENTION_PORTAL_CODE_HOURS,
      accessLogDays: c.LOOPDESK_RETENTION_ACCESS_LOG_DAYS,
      outboxDays: c.LOOPDESK_RETENTION_OUTBOX_DAYS,
      chatDays: c.LOOPDESK_RETENTION_CHAT_DAYS,
    },
    incidentDetectMs: c.LOOPDESK_INCIDENT_DETECT_SECONDS * 1000,
    incidentNoticeMs: c.LOOPDESK_INCIDENT_NOTICE_SECONDS * 1000,
    incidentNoticeBatch: c.LOOPDESK_INCIDENT_NOTICE_BATCH,
    incidents: incidentSettingsOf(c),
    webhookSecrets: Object.fromEntries(
      (c.LOOPDESK_WEBHOOK_SECRETS ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=') as [string, string]),
    ),
    outboundWebhooks: Object.fromEntries(
      (c.LOOPDESK_OUTBOUND_WEBHOOKS ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    ),
    outboundSecret: c.LOOPDESK_OUTBOUND_SECRET,
    smtp: {
      port: c.LOOPDESK_SMTP_PORT,
      host: c.LOOPDESK_SMTP_HOST,
      maxBytes: Math.round(c.LOOPDESK_MAIL_MAX_MB * 1024 * 1024),
      relayUrl: c.LOOPDESK_SMTP_RELAY_URL,
      from: c.LOOPDESK_MAIL_FROM,
      domain: c.LOOPDESK_MAIL_DOMAIN,
    },
    imap: c.LOOPDESK_IMAP_URL
      ? {
          mailbox: imapMailbox(c.LOOPDESK_IMAP_URL),
          pollMs: c.LOOPDESK_IMAP_POLL_SECONDS * 1000,
          moveTo: c.LOOPDESK_IMAP_MOVE_TO,
        }
      : undefined,
    publicUrl: (c.LOOPDESK_PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    intakeQueues: intakeQueues(c.LOOPDESK_INTAKE_QUEUES),
    outboxMs: c.LOOPDESK_OUTBOX_SECONDS * 1000,
    priorityWeights: c.LOOPDESK_PRIORITY_WEIGHTS ?? DEFAULT_PRIORITY_WEIGHTS,
    churnWeights: c.LOOPDESK_CHURN_WEIGHTS ?? DEFAULT_CHURN_WEIGHTS,
    logLevel: c.LOG_LEVEL,
    trustProxy: c.LOOPDESK_TRUST_PROXY ?? [],
    maxInFlight: c.LOOPDESK_MAX_IN_FLIGHT,
    metricsToken: c.LOOPDESK_METRICS_TOKEN,
    processes,
  };
}

/** `frontline` (every channel) or `sms=sms-desk,email=mail-desk,frontline` (a bare code: the other channels). */
function intakeQueues(setting: string): IntakeQueues {
  const queues: IntakeQueues = { default: null, byChannel: {} };
  for (const entry of setting.split(',')) {
    const [channel, code] = entry.includes('=') ? entry.split('=') : [null, entry];
    if (channel === null) queues.default = code!;
    else queues.byChannel[channel as Channel] = code!;
  }
  return queues;
}

function imapMailbox(url: string): ImapMailbox {
  try {
    return parseImapUrl(url);
  } catch (err) {
    throw new ConfigError(
      `Invalid configuration:\n  LOOPDESK_IMAP_URL: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
