import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { DEFAULT_PRIORITY_WEIGHTS } from './core/tickets/priority.js';
import { DEFAULT_CHURN_WEIGHTS } from './core/customers/churn-risk.js';

describe('configuration', () => {
  it('runs on the embedded database in ./data on port 3000 when nothing is set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, dataDir: './data', demoData: true });
  });
  it('names every bad variable in one message', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT/);
      expect((e as Error).message).toMatch(/DATABASE_URL: must be a postgres/);
      expect((e as Error).message).toMatch(/LOG_LEVEL/);
    }
  });
  it('refuses an unknown time zone', () => {
    expect(() => loadConfig({ LOOPDESK_TIME_ZONE: 'Mars/Olympus' })).toThrow(/LOOPDESK_TIME_ZONE/);
  });
  it('trusts no proxy unless told, and takes a list of addresses and CIDR ranges', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ LOOPDESK_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1,loopback' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
      'loopback',
    ]);
    expect(() => loadConfig({ LOOPDESK_TRUST_PROXY: 'true' })).toThrow(/LOOPDESK_TRUST_PROXY/);
    expect(() => loadConfig({ LOOPDESK_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/LOOPDESK_TRUST_PROXY/);
  });
  it('runs one server process unless told; auto means one per CPU; more than one needs PostgreSQL', () => {
    const pg = { DATABASE_URL: 'postgres://localhost/loopdesk' };
    expect(loadConfig({}).processes).toBe(1);
    expect(loadConfig({ ...pg, LOOPDESK_PROCESSES: '2' }).processes).toBe(2);
    expect(loadConfig({ ...pg, LOOPDESK_PROCESSES: 'auto' }).processes).toBe(Math.min(64, availableParallelism()));
    expect(() => loadConfig({ ...pg, LOOPDESK_PROCESSES: '0' })).toThrow(/LOOPDESK_PROCESSES: must be a whole number/);
    expect(() => loadConfig({ ...pg, LOOPDESK_PROCESSES: 'many' })).toThrow(
      /LOOPDESK_PROCESSES: must be a whole number/,
    );
    expect(() => loadConfig({ LOOPDESK_PROCESSES: '2' })).toThrow(
      /LOOPDESK_PROCESSES: more than one process needs DATABASE_URL/,
    );
  });
  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });
  it('reads the IMAP mailbox from one URL, with an encoded password and a Chinese folder', () => {
    const c = loadConfig({
      LOOPDESK_IMAP_URL: `imaps://kf%40telecom.example:p%40ss%2Fw0rd@imap.telecom.example/${encodeURIComponent('客服')}`,
    });
    expect(c.imap).toEqual({
      mailbox: {
        host: 'imap.telecom.example',
        port: 993,
        secure: true,
        user: 'kf@telecom.example',
        password: 'p@ss/w0rd',
        mailbox: '客服',
      },
      pollMs: 60_000,
      moveTo: undefined,
    });
    expect(loadConfig({ LOOPDESK_IMAP_URL: 'imap://kf:pw@127.0.0.1:1143' }).imap?.mailbox).toMatchObject({
      port: 1143,
      secure: false,
      mailbox: 'INBOX',
    });
    expect(loadConfig({}).imap).toBeUndefined();
  });
  it('refuses an IMAP URL without a user or of another scheme', () => {
    expect(() => loadConfig({ LOOPDESK_IMAP_URL: 'imaps://imap.telecom.example/INBOX' })).toThrow(
      /LOOPDESK_IMAP_URL: must look like/,
    );
    expect(() => loadConfig({ LOOPDESK_IMAP_URL: 'https://kf:pw@imap.telecom.example' })).toThrow(/LOOPDESK_IMAP_URL/);
  });
  it('uses the handbook’s priority weights unless LOOPDESK_PRIORITY_WEIGHTS replaces some of them', () => {
    expect(loadConfig({}).priorityWeights).toEqual(DEFAULT_PRIORITY_WEIGHTS);
    const c = loadConfig({
      LOOPDESK_PRIORITY_WEIGHTS: '{"tier":{"vip":6},"grade":{"critical":9},"thresholds":[8,5,2]}',
    });
    expect(c.priorityWeights).toEqual({
      grade: { general: 0, major: 3, urgent: 6, critical: 9 },
      type: DEFAULT_PRIORITY_WEIGHTS.type,
      tier: { ...DEFAULT_PRIORITY_WEIGHTS.tier, vip: 6 },
      thresholds: [8, 5, 2],
    });
  });
  it('refuses priority weights that are not JSON, name unknown parts, or have thresholds out of order', () => {
    expect(() => loadConfig({ LOOPDESK_PRIORITY_WEIGHTS: 'vip=3' })).toThrow(/LOOPDESK_PRIORITY_WEIGHTS: must be JSON/);
    expect(() => loadConfig({ LOOPDESK_PRIORITY_WEIGHTS: '{"tier":{"platinum":4}}' })).toThrow(
      /LOOPDESK_PRIORITY_WEIGHTS/,
    );
    expect(() => loadConfig({ LOOPDESK_PRIORITY_WEIGHTS: '{"thresholds":[2,5,7]}' })).toThrow(
      /LOOPDESK_PRIORITY_WEIGHTS.thresholds: thresholds for P1, P2, P3 must be strictly descending/,
    );
    expect(() => loadConfig({ LOOPDESK_PRIORITY_WEIGHTS: '{"type":{"fault":-1}}' })).toThrow(
      /LOOPDESK_PRIORITY_WEIGHTS/,
    );
  });
  it('uses the default churn-risk weights unless LOOPDESK_CHURN_WEIGHTS replaces some of them', () => {
    expect(loadConfig({}).churnWeights).toEqual(DEFAULT_CHURN_WEIGHTS);
    const c = loadConfig({
      LOOPDESK_CHURN_WEIGHTS: '{"factors":{"sla_breaches":{"points":15}},"tier":{"gold":8},"thresholds":{"high":70}}',
    });
    expect(c.churnWeights).toEqual({
      ...DEFAULT_CHURN_WEIGHTS,
      factors: { ...DEFAULT_CHURN_WEIGHTS.factors, sla_breaches: { points: 15, max: 30 } },
      tier: { ...DEFAULT_CHURN_WEIGHTS.tier, gold: 8 },
      thresholds: { medium: 30, high: 70 },
    });
  });
  it('refuses churn-risk weights that are not JSON, name unknown factors, are negative or have thresholds out of order', () => {
    expect(() => loadConfig({ LOOPDESK_CHURN_WEIGHTS: 'breach=10' })).toThrow(/LOOPDESK_CHURN_WEIGHTS: must be JSON/);
    expect(() => loadConfig({ LOOPDESK_CHURN_WEIGHTS: '{"factors":{"late_bills":{"points":5}}}' })).toThrow(
      /LOOPDESK_CHURN_WEIGHTS/,
    );
    expect(() => loadConfig({ LOOPDESK_CHURN_WEIGHTS: '{"tier":{"vip":-1}}' })).toThrow(/LOOPDESK_CHURN_WEIGHTS/);
    expect(() => loadConfig({ LOOPDESK_CHURN_WEIGHTS: '{"thresholds":{"medium":70,"high":60}}' })).toThrow(
      /LOOPDESK_CHURN_WEIGHTS: thresholds: medium must be above 0 and below high/,
    );
  });
  it('sends every channel to the front line unless the intake queues say otherwise', () => {
    expect(loadConfig({}).intakeQueues).toEqual({ default: 'frontline', byChannel: {} });
    expect(loadConfig({ LOOPDESK_INTAKE_QUEUES: 'sms=sms-desk,email=mail_desk,frontline' }).intakeQueues).toEqual({
      default: 'frontline',
      byChannel: { sms: 'sms-desk', email: 'mail_desk' },
    });
    expect(() => loadConfig({ LOOPDESK_INTAKE_QUEUES: 'fax=desk' })).toThrow(/LOOPDESK_INTAKE_QUEUES/);
  });
});
