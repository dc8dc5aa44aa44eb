import { describe, expect, it } from 'vitest';
import { mentionedUsernames } from './mentions.js';

describe('mentions in notes', () => {
  it('finds @usernames after spaces, punctuation and Chinese text, each once', () => {
    expect(mentionedUsernames('@wangl 请协助核查，抄送@li.na和 @wangl。')).toEqual(['wangl', 'li.na']);
  });

  it('does not read an email address or a lone @ as a mention, and drops a sentence’s final dot', () => {
    expect(mentionedUsernames('客户邮箱 zhang@example.cn，请 @expert.')).toEqual(['expert']);
    expect(mentionedUsernames('@ 没有名字 @a')).toEqual([]);
  });
});
