import { describe, expect, it } from 'vitest';
import { ConfigSchema, loadConfig } from '../config.js';
import { JOBS, jobsForNode } from './registry.js';

const names = (env: Record<string, string>, only?: string[]) => jobsForNode(loadConfig(env), only).map((j) => j.name);
const IMAP = 'imaps://kf%40example.cn:secret@imap.example.cn/INBOX';

describe('the registry of periodic jobs', () => {
  it('runs the SLA sweep, auto-assignment, outbox delivery, closing of unanswered resolutions, reminders of unfiled calls, survey dispatch, QA sampling, the KPI facts roll-up, KPI exports, scheduled reports, building copies of personal data, the retention run, certification reminders, knowledge review tasks, incident detection, proactive incident notices and housekeeping on a node with default settings', () => {
    expect(names({})).toEqual([
      'sla-sweep',
      'auto-assign',
      'outbox',
      'auto-close',
      'unfiled-calls',
      'survey-dispatch',
      'qa-sampling',
      'kpi-facts',
      'kpi-export',
      'scheduled-reports',
      'privacy-export',
      'retention',
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
    expect(
      names({
        LOOPDESK_SLA_SWEEP_SECONDS: '0',
        LOOPDESK_ASSIGN_SECONDS: '0',
        LOOPDESK_OUTBOX_SECONDS: '0',
        LOOPDESK_HOUSEKEEPING_SECONDS: '0',
        LOOPDESK_AUTO_CLOSE_SECONDS: '0',
        LOOPDESK_UNFILED_CALL_SECONDS: '0',
        LOOPDESK_SURVEY_DISPATCH_SECONDS: '0',
        LOOPDESK_QA_SAMPLING_SECONDS: '0',
        LOOPDESK_KPI_FACTS_SECONDS: '0',
        LOOPDESK_KPI_EXPORT_SECONDS: '0',
        LOOPDESK_SCHEDULED_REPORTS_SECONDS: '0',
        LOOPDESK_PRIVACY_EXPORT_SECONDS: '0',
        LOOPDESK_RETENTION_SECONDS: '0',
        LOOPDESK_CERT_REMINDER_SECONDS: '0',
        LOOPDESK_KB_REVIEW_SECONDS: '0',
        LOOPDESK_INCIDENT_DETECT_SECONDS: '0',
        LOOPDESK_INCIDENT_NOTICE_SECONDS: '0',
      }),
    ).toEqual([]);
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
    const config = loadConfig({
      LOOPDESK_SLA_SWEEP_SECONDS: '7',
      LOOPDESK_ASSIGN_SECONDS: '11',
      LOOPDESK_OUTBOX_SECONDS: '13',
      LOOPDESK_HOUSEKEEPING_SECONDS: '19',
      LOOPDESK_AUTO_CLOSE_SECONDS: '23',
      LOOPDESK_UNFILED_CALL_SECONDS: '29',
      LOOPDESK_SURVEY_DISPATCH_SECONDS: '31',
      LOOPDESK_QA_SAMPLING_SECONDS: '37',
      LOOPDESK_KPI_FACTS_SECONDS: '41',
      LOOPDESK_KPI_EXPORT_SECONDS: '3',
      LOOPDESK_SCHEDULED_REPORTS_SECONDS: '53',
      LOOPDESK_PRIVACY_EXPORT_SECONDS: '43',
      LOOPDESK_RETENTION_SECONDS: '47',
      LOOPDESK_CERT_REMINDER_SECONDS: '43',
      LOOPDESK_KB_REVIEW_SECONDS: '43',
      LOOPDESK_INCIDENT_DETECT_SECONDS: '43',
      LOOPDESK_INCIDENT_NOTICE_SECONDS: '47',
      LOOPDESK_IMAP_URL: IMAP,
      LOOPDESK_IMAP_POLL_SECONDS: '17',
    });
    expect(Object.fromEntries(JOBS.map((j) => [j.setting, j.intervalMs(config)]))).toEqual({
      LOOPDESK_SLA_SWEEP_SECONDS: 7000,
      LOOPDESK_ASSIGN_SECONDS: 11000,
      LOOPDESK_OUTBOX_SECONDS: 13000,
      LOOPDESK_HOUSEKEEPING_SECONDS: 19000,
      LOOPDESK_AUTO_CLOSE_SECONDS: 23000,
      LOOPDESK_UNFILED_CALL_SECONDS: 29000,
      LOOPDESK_SURVEY_DISPATCH_SECONDS: 31000,
      LOOPDESK_QA_SAMPLING_SECONDS: 37000,
      LOOPDESK_KPI_FACTS_SECONDS: 41000,
      LOOPDESK_KPI_EXPORT_SECONDS: 3000,
      LOOPDESK_SCHEDULED_REPORTS_SECONDS: 53000,
      LOOPDESK_PRIVACY_EXPORT_SECONDS: 43000,
      LOOPDESK_RETENTION_SECONDS: 47000,
      LOOPDESK_CERT_REMINDER_SECONDS: 43000,
      LOOPDESK_KB_REVIEW_SECONDS: 43000,
      LOOPDESK_INCIDENT_DETECT_SECONDS: 43000,
      LOOPDESK_INCIDENT_NOTICE_SECONDS: 47000,
      LOOPDESK_IMAP_POLL_SECONDS: 17000,
    });
  });
});
