import { describe, expect, it } from 'vitest';
import { ConfigSchema, loadConfig } from '../config.js';
import { JOBS, jobsForNode } from './registry.js';

const names = (env: Record<string, string>, only?: string[]) => jobsForNode(loadConfig(env), only).map((j) => j.name);
const IMAP = 'imaps://kf%40example.cn:secret@imap.example.cn/INBOX';

describe('the registry of periodic jobs', () => {
  it('runs the SLA sweep, auto-assignment, the chat first-response warnings, ending abandoned chats, outbox delivery, closing of unanswered resolutions, reminders of unfiled calls, survey dispatch, QA sampling, the KPI facts roll-up, KPI exports, scheduled reports, building copies of personal data, the retention run, reminders of held deletions whose hold ended, certification reminders, knowledge review tasks, incident detection, proactive incident notices and housekeeping on a node with default settings', () => {
    expect(names({})).toEqual([
      'sla-sweep',
      'auto-assign',
      'chat-first-response',
      'chat-idle',
      'outbox',
      'auto-close',
      'unfiled-calls',
      'survey-dispatch',
      'qa-sampling',
      'kpi-facts',
      'kpi-export',
      'kpi-export-cleanup',
      'scheduled-reports',
      'privacy-export',
      'retention',
      'privacy-holds',
      'certification-reminders',
      'knowledge-review',
      'incident-detect',
      'incident-notices',
      'housekeeping',
    ]);
  });

  it('polls the mailbox only on a node that has one configured', () => {
    expect(names({ LOOPDESK_IMAP_URL: IMAP })).toContain('imap-poll');
    expect(names({})).not.toContain('imap-poll');
  });

  it('leaves out each job whose interval setting is 0 on this node', () => {
    for (const job of JOBS.filter((j) => j.name !== 'imap-poll')) {
      const env = { [job.setting]: '0' };
      expect(names(env)).not.toContain(job.name);
      expect(names(env)).toHaveLength(names({}).length - 1);
    }
  });

  it('runs nothing on a node where every interval is 0', () => {
    // (The mailbox poll runs only where a mailbox is configured, and none is here.)
    const off = JOBS.filter((j) => j.name !== 'imap-poll').map((j) => [j.setting, '0']);
    expect(names(Object.fromEntries(off))).toEqual([]);
  });

  it('runs only the named jobs on a worker given names, and refuses an unknown name', () => {
    expect(names({ LOOPDESK_IMAP_URL: IMAP }, ['sla-sweep', 'imap-poll'])).toEqual(['sla-sweep', 'imap-poll']);
    expect(names({ LOOPDESK_SLA_SWEEP_SECONDS: '0' }, ['sla-sweep'])).toEqual([]);
    expect(() => names({}, ['sla-swep'])).toThrow(/Unknown job sla-swep; the jobs are sla-sweep, auto-assign/);
  });

  it('has one entry per name, each with an interval setting the configuration knows', () => {
    expect(new Set(JOBS.map((j) => j.name)).size).toBe(JOBS.length);
    for (const job of JOBS) expect(Object.keys(ConfigSchema.shape)).toContain(job.setting);
  });

  it('reads each interval from its own setting', () => {
    // A different number of seconds for each job: a job reading another's setting shows up.
    const seconds = new Map(JOBS.map((j, i) => [j.setting, 3 + i]));
    const config = loadConfig({
      ...Object.fromEntries([...seconds].map(([setting, s]) => [setting, String(s)])),
      LOOPDESK_IMAP_URL: IMAP,
    });
    for (const job of JOBS)
      expect([job.name, job.intervalMs(config)]).toEqual([job.name, seconds.get(job.setting)! * 1000]);
  });
});
