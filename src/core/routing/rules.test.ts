import { describe, expect, it } from 'vitest';
import { segmentWords } from '../../text/segmenter.js';
import {
  compileRules,
  DEFAULT_ROUTING_RULES,
  evaluateRules,
  explainDecision,
  orderProblems,
  type RoutingFacts,
  type RoutingRule,
} from './rules.js';

const ranks = new Map([
  ['general', 10],
  ['major', 20],
  ['urgent', 30],
]);
const facts = (over: Partial<RoutingFacts> & { text?: string } = {}): RoutingFacts => ({
  type: 'complaint',
  categoryPath: [],
  grade: 'general',
  channel: 'hotline',
  customerTier: 'regular',
  region: null,
  tags: [],
  words: segmentWords(over.text ?? '手机话费有疑问'),
  ...over,
});
const defaults = compileRules(DEFAULT_ROUTING_RULES, segmentWords);
const rule = (
  id: string,
  when: RoutingRule['when'],
  then: RoutingRule['then'],
  extra: Partial<RoutingRule> = {},
): RoutingRule => ({ id, name: id, enabled: true, when, then, ...extra });

describe('routing rules', () => {
  it('sends a network fault to network operations, also for a child category', () => {
    const d = evaluateRules(
      defaults,
      facts({ type: 'fault', categoryPath: ['fault-network-slow', 'fault-network'] }),
      ranks,
    );
    expect(d.queue).toBe('network-ops');
    expect(explainDecision(d)).toEqual(["matched rule '网络故障 Network faults' → queue → network-ops"]);
  });

  it('sends tariff and billing matters to billing', () => {
    expect(evaluateRules(defaults, facts({ type: 'inquiry', categoryPath: ['inquiry-tariff'] }), ranks).queue).toBe(
      'billing',
    );
    expect(evaluateRules(defaults, facts({ categoryPath: ['complaint-billing'] }), ranks).queue).toBe('billing');
  });

  it('sends VIP customers to the VIP desk', () => {
    const d = evaluateRules(defaults, facts({ customerTier: 'vip' }), ranks);
    expect(d.queue).toBe('vip-desk');
    expect(d.addedTags).toEqual(['vip']);
  });

  it.each(['我要去工信部投诉你们', '再不处理就找媒体曝光', '我已经请了律师', '打12300投诉', '要求退费'])(
    'raises "%s" to urgent and the supervisor queue',
    (text) => {
      const d = evaluateRules(defaults, facts({ text, customerTier: 'vip' }), ranks);
      expect(d.grade).toBe('urgent');
      expect(d.queue).toBe('supervisors'); // the high-risk rule comes first and wins over the VIP desk
      expect(d.addedTags).toEqual(['high-risk', 'vip']);
    },
  );

  it('matches keywords on words, not on raw substrings', () => {
    // 部 + 工信 spelled apart is not 工信部, and 退费 inside 减退费用 is not a refund request.
    const r = compileRules(
      [
        rule('refund', { keywords: ['退费'] }, { tags: ['refund'] }),
        rule('miit', { keywords: ['工信部'] }, { tags: ['miit'] }),
      ],
      segmentWords,
    );
    expect(evaluateRules(r, facts({ text: '热情减退费用也高' }), ranks).addedTags).toEqual([]);
    expect(evaluateRules(r, facts({ text: '我去工信部门口' }), ranks).addedTags).toEqual(['miit']);
    expect(evaluateRules(r, facts({ text: '要求立即退费' }), ranks).addedTags).toEqual(['refund']);
  });

  it('matches a multi-word keyword as a phrase of consecutive words', () => {
    const r = compileRules([rule('no-service', { keywords: ['没有信号'] }, { tags: ['no-signal'] })], segmentWords);
    expect(evaluateRules(r, facts({ text: '家里手机没有信号' }), ranks).addedTags).toEqual(['no-signal']);
    expect(evaluateRules(r, facts({ text: '没有人接电话，信号也差' }), ranks).addedTags).toEqual([]);
  });

  it('requires every condition of a rule, and any value within a condition', () => {
    const r = compileRules(
      [rule('r', { types: ['fault'], channels: ['app', 'web'], regions: ['广州'] }, { queue: 'gz' })],
      segmentWords,
    );
    expect(evaluateRules(r, facts({ type: 'fault', channel: 'web', region: '广州' }), ranks).queue).toBe('gz');
    expect(evaluateRules(r, facts({ type: 'fault', channel: 'hotline', region: '广州' }), ranks).queue).toBeNull();
    expect(evaluateRules(r, facts({ type: 'fault', channel: 'web', region: null }), ranks).queue).toBeNull();
  });

  it('lets the first rule choose the queue, only ever raises grade and priority, and honours stop', () => {
    const r = compileRules(
      [
        rule('a', {}, { queue: 'first', grade: 'major', priority: 2 }),
        rule('b', {}, { queue: 'second', grade: 'general', priority: 3 }),
        rule('c', { grades: ['major'] }, { tags: ['seen-major'] }, { stop: true }),
        rule('d', {}, { tags: ['never'] }),
      ],
      segmentWords,
    );
    const d = evaluateRules(r, facts(), ranks);
    expect(d).toMatchObject({ queue: 'first', grade: 'major', priority: 2, addedTags: ['seen-major'] });
    expect(d.matched.map((m) => m.ruleId)).toEqual(['a', 'b', 'c']);
    expect(explainDecision(d)[1]).toBe("matched rule 'b' (no change: already applied by an earlier rule)");
  });

  it('skips disabled rules and explains when nothing matched', () => {
    const r = compileRules([rule('off', {}, { queue: 'x' }, { enabled: false })], segmentWords);
    const d = evaluateRules(r, facts(), ranks);
    expect(d.queue).toBeNull();
    expect(explainDecision(d)[0]).toMatch(/no routing rule matched/);
  });
});

describe('reordering the rule set', () => {
  it('accepts the same rules in a new order', () => {
    expect(orderProblems(['a', 'b', 'c'], ['c', 'a', 'b'])).toBeNull();
  });

  it('refuses an order that drops, repeats or invents a rule, naming each', () => {
    expect(orderProblems(['a', 'b', 'c'], ['a', 'a', 'x'])).toEqual({
      missing: ['b', 'c'],
      unknown: ['x'],
      duplicates: ['a'],
    });
  });
});
