import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../usecases/channels/outbound.js';
import { logSender } from './senders.js';

const item = (payload: object): OutboxItem => ({ id: 'o1', channel: 'sms', ticketId: 't1', payload }) as OutboxItem;

function logged(payload: object, revealSecrets: boolean): string {
  const lines: unknown[] = [];
  const send = logSender({ info: (obj) => lines.push(obj) }, { publicUrl: 'https://kf.example.cn', revealSecrets });
  void send(item(payload));
  return JSON.stringify(lines);
}

describe('the development log sender', () => {
  const code = { kind: 'portal_code', text: '【Loopdesk】验证码 482913，5 分钟内有效。Your code is 482913.' };
  const reply = { ticketNumber: 'T20261128-0001', body: '已为您处理', portalLink: 'tok.SECRET-123' };

  it('blanks portal sign-in codes and link tokens', () => {
    expect(logged(code, false)).not.toContain('482913');
    expect(logged(code, false)).toContain('验证码 ••••••');
    expect(logged(reply, false)).not.toContain('SECRET-123');
    expect(logged(reply, false)).toContain('link=[redacted]');
    expect(logged(reply, false)).toContain('已为您处理');
  });

  it('shows them on a demo node, where nobody has the phone the code went to', () => {
    expect(logged(code, true)).toContain('482913');
    expect(logged(reply, true)).toContain('tok.SECRET-123');
  });
});
