import { z } from 'zod';

// Parsed once at boot; a wrong setting stops start-up with a message naming the variable.

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

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
  LOOPDESK_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  LOOPDESK_TIME_ZONE: z.string().default('Asia/Shanghai'),
  LOOPDESK_ATTACHMENT_MAX_MB: z.coerce.number().positive().max(1024).default(20),
  LOOPDESK_SLA_SWEEP_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  LOOPDESK_WEBHOOK_SECRETS: z
    .string()
    .regex(/^(sms|wechat|app|hotline)=[^,=]{16,}(,(sms|wechat|app|hotline)=[^,=]{16,})*$/, 'must look like sms=SECRET,wechat=SECRET,hotline=SECRET (secrets of 16+ characters)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  /** HMAC secrets of the inbound channel webhooks; a channel without one is switched off. */
  webhookSecrets: Partial<Record<'sms' | 'wechat' | 'app' | 'hotline', string>>;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
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
    webhookSecrets: Object.fromEntries((c.LOOPDESK_WEBHOOK_SECRETS ?? '').split(',').filter(Boolean).map((pair) => pair.split('=') as [string, string])),
    logLevel: c.LOG_LEVEL,
  };
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
