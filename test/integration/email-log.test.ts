import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeInMail, type MailLog } from '../../src/channels/email/take-in-mail.js';
import type { EmailDeps } from '../../src/usecases/channels/receive-email.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { mailDeps, mailFixture } from '../helpers/mail-fixtures.js';

// Envelope and header addresses are personal data: the mail intake's log names a mail by a hash
// and says what became of it, never who sent it to whom or what the subject was.

describe.each(ENGINES)('mail intake log on %s', (engine) => {
  let h: Harness;
  let deps: EmailDeps;
  const lines: unknown[] = [];
  const log: MailLog = {
    info: (obj, msg) => lines.push({ level: 'info', msg, ...obj }),
    warn: (obj, msg) => lines.push({ level: 'warn', msg, ...obj }),
    error: (obj, msg) => lines.push({ level: 'error', msg, ...obj }),
  };
  const envelope = { from: 'envelope.sender@example.cn', to: ['kf@loopdesk.example'] };
  const withMessageId = (raw: Buffer, id: string) =>
    Buffer.from(raw.toString('latin1').replace(/^Message-ID:.*$/m, `Message-ID: <${id}>`), 'latin1');

  beforeAll(async () => {
    h = await startHarness(engine);
    deps = { ...mailDeps(h), loopLimits: { autoPerHour: 1, totalPerHour: 30 } };
  });
  afterAll(async () => {
    await h?.close();
  });

  it('logs what became of each mail without the envelope, the sender’s address or the subject', async () => {
    const accepted = await takeInMail(deps, mailFixture('gb2312-base64.eml'), envelope, log);
    expect(accepted.outcome).toBe('accepted');
    // zhou.ba becomes a customer, then writes two auto-replies within the hour: the second is dropped.
    const auto = mailFixture('auto-reply.eml');
    const human = Buffer.from(
      auto
        .toString('latin1')
        .replace(/^(Auto-Submitted|X-Auto-Response-Suppress|Precedence):.*\r\n/gm, '')
        .replace(/^Subject:.*$/m, 'Subject: broadband'),
      'latin1',
    );
    expect((await takeInMail(deps, withMessageId(human, 'zhou-1@corp.example.cn'), envelope, log)).outcome).toBe(
      'accepted',
    );
    expect((await takeInMail(deps, withMessageId(auto, 'zhou-auto-1@corp.example.cn'), envelope, log)).outcome).toBe(
      'recorded',
    );
    const dropped = await takeInMail(deps, withMessageId(auto, 'zhou-auto-2@corp.example.cn'), envelope, log);
    expect(dropped).toMatchObject({ outcome: 'dropped', reason: expect.stringContaining('zhou.ba@corp.example.cn') });
    expect((await takeInMail(deps, mailFixture('malformed.eml'), envelope, log)).outcome).toBe('quarantined');

    expect(lines).toHaveLength(5);
    const logged = JSON.stringify(lines);
    for (const personal of [
      'envelope.sender',
      'kf@loopdesk.example',
      'li.si',
      'zhou.ba',
      '宽带无法上网',
      '自动回复',
      'broadband',
    ])
      expect(logged).not.toContain(personal);
    for (const line of lines) expect(line).toMatchObject({ mail: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(lines[0]).toMatchObject({ outcome: 'accepted', ticketNumber: expect.any(String) });
    expect(lines[4]).toMatchObject({ outcome: 'quarantined', quarantineId: expect.any(String), reason: 'malformed' });
  });
});
