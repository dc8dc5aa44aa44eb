import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALWAYS,
  CN_BUSINESS,
  SlaPolicySchema,
  defaultPolicies,
  matchPolicy,
  type SlaPolicy,
  type SlaPolicyInput,
  type TicketFacts,
} from './policy.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

const policy = (p: Partial<SlaPolicyInput> & { id: string }): SlaPolicy =>
  SlaPolicySchema.parse({
    name: p.id,
    order: 100,
    targets: [{ metric: 'resolution', limitMs: HOUR, calendarId: ALWAYS }],
    ...p,
  });
const facts = (f: Partial<TicketFacts> = {}): TicketFacts => ({
  type: 'complaint',
  tier: 'regular',
  channel: 'hotline',
  ...f,
});
const limits = (p: SlaPolicy | undefined) =>
  Object.fromEntries((p?.targets ?? []).map((t) => [t.metric, [t.limitMs, t.calendarId]]));

describe('matchPolicy', () => {
  it('picks the matching policy with the lowest order, whatever the list order', () => {
    const policies = [
      policy({ id: 'late', order: 50 }),
      policy({ id: 'early', order: 10 }),
      policy({ id: 'middle', order: 30 }),
    ];
    expect(matchPolicy(policies, facts())?.id).toBe('early');
    expect(matchPolicy([...policies].reverse(), facts())?.id).toBe('early');
  });

  it('breaks a tie in order by the smaller id', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(['b', 'a', 'c'], { minLength: 1 }), (ids) => {
        const found = matchPolicy(
          ids.map((id) => policy({ id, order: 1 })),
          facts(),
        );
        expect(found?.id).toBe([...ids].sort()[0]);
      }),
    );
  });

  it('treats an absent condition as any value and requires every present one', () => {
    const p = policy({
      id: 'vip-hotline-complaint',
      conditions: { types: ['complaint'], tiers: ['vip'], channels: ['hotline', 'app'] },
    });
    expect(matchPolicy([p], facts({ tier: 'vip' }))?.id).toBe('vip-hotline-complaint');
    expect(matchPolicy([p], facts({ tier: 'vip', channel: 'app', region: 'shenzhen' }))?.id).toBe(
      'vip-hotline-complaint',
    );
    expect(matchPolicy([p], facts({ tier: 'gold' }))).toBeUndefined();
    expect(matchPolicy([p], facts({ tier: 'vip', type: 'fault' }))).toBeUndefined();
  });

  it('does not match a grade or region condition when the ticket has none', () => {
    expect(matchPolicy([policy({ id: 'g', conditions: { grades: ['major'] } })], facts())).toBeUndefined();
    expect(matchPolicy([policy({ id: 'g', conditions: { grades: ['major'] } })], facts({ grade: 'major' }))?.id).toBe(
      'g',
    );
    expect(
      matchPolicy([policy({ id: 'r', conditions: { regions: ['guangzhou'] } })], facts({ region: null })),
    ).toBeUndefined();
  });

  it('matches a category condition on the category and its descendants', () => {
    const p = policy({ id: 'network', conditions: { categoryCodes: ['fault-network'] } });
    expect(matchPolicy([p], facts({ categoryPath: ['fault-network'] }))?.id).toBe('network');
    expect(matchPolicy([p], facts({ categoryPath: ['fault-network', 'fault-network-slow'] }))?.id).toBe('network');
    expect(matchPolicy([p], facts({ categoryPath: ['fault-terminal'] }))).toBeUndefined();
    expect(matchPolicy([p], facts())).toBeUndefined();
  });

  it('returns undefined when no policy matches', () => {
    expect(matchPolicy([], facts())).toBeUndefined();
  });
});

describe('SlaPolicySchema', () => {
  it('defaults to pausing on pending_customer and warning at 75 % and 90 %', () => {
    expect(policy({ id: 'p' })).toMatchObject({ pauseOn: ['pending_customer'], warnAt: [0.75, 0.9], conditions: {} });
  });

  it('stores warning fractions ascending without duplicates', () => {
    expect(policy({ id: 'p', warnAt: [0.9, 0.5, 0.9] }).warnAt).toEqual([0.5, 0.9]);
  });

  it('refuses a node target without a node name, two targets for one metric, and empty allow-lists', () => {
    const bad = (p: Partial<SlaPolicyInput>) =>
      SlaPolicySchema.safeParse({
        id: 'p',
        name: 'p',
        order: 1,
        targets: [{ metric: 'resolution', limitMs: HOUR, calendarId: ALWAYS }],
        ...p,
      }).success;
    expect(bad({ targets: [{ metric: 'node', limitMs: HOUR, calendarId: ALWAYS }] })).toBe(false);
    expect(bad({ targets: [{ metric: 'resolution', node: 'x', limitMs: HOUR, calendarId: ALWAYS }] })).toBe(false);
    expect(
      bad({
        targets: [
          { metric: 'resolution', limitMs: HOUR, calendarId: ALWAYS },
          { metric: 'resolution', limitMs: 2 * HOUR, calendarId: ALWAYS },
        ],
      }),
    ).toBe(false);
    expect(
      bad({
        targets: [
          { metric: 'node', node: 'a', limitMs: HOUR, calendarId: ALWAYS },
          { metric: 'node', node: 'b', limitMs: HOUR, calendarId: ALWAYS },
        ],
      }),
    ).toBe(true);
    expect(bad({ conditions: { tiers: [] } })).toBe(false);
    expect(bad({ warnAt: [1] })).toBe(false);
    expect(bad({ targets: [{ metric: 'resolution', limitMs: 0, calendarId: ALWAYS }] })).toBe(false);
  });
});

describe('defaultPolicies', () => {
  const defaults = defaultPolicies();
  const match = (f: Partial<TicketFacts>) => matchPolicy(defaults, facts(f));

  it('answers urgent cases in 15 minutes around the clock, for every tier and type', () => {
    for (const type of ['fault', 'complaint', 'inquiry'] as const) {
      for (const tier of ['vip', 'regular'] as const) {
        const p = match({ type, tier, grade: 'urgent' });
        expect(p?.id).toBe('urgent');
        expect(limits(p).first_response).toEqual([15 * MIN, ALWAYS]);
      }
    }
  });

  it('treats a regulator referral as high-risk', () => {
    expect(limits(match({ channel: 'regulator' })).first_response).toEqual([15 * MIN, ALWAYS]);
  });

  it('gives complaints 24 h to respond and 48 h to resolve, and VIP complaints half', () => {
    expect(limits(match({ grade: 'general' }))).toMatchObject({
      first_response: [24 * HOUR, ALWAYS],
      resolution: [48 * HOUR, ALWAYS],
      next_update: [2 * HOUR, CN_BUSINESS],
    });
    expect(limits(match({ tier: 'vip' }))).toMatchObject({
      first_response: [12 * HOUR, ALWAYS],
      resolution: [24 * HOUR, ALWAYS],
      next_update: [HOUR, CN_BUSINESS],
    });
  });

  it('resolves faults in 24 h and asks for first-line diagnosis within 1 business hour', () => {
    const p = match({ type: 'fault' });
    expect(limits(p)).toMatchObject({ resolution: [24 * HOUR, ALWAYS], node: [HOUR, CN_BUSINESS] });
    expect(p?.targets.find((t) => t.metric === 'node')?.node).toBe('first_line_diagnosis');
  });

  it('resolves inquiries in 2 business hours', () => {
    expect(limits(match({ type: 'inquiry' }))).toEqual({ resolution: [2 * HOUR, CN_BUSINESS] });
    expect(limits(match({ type: 'inquiry', tier: 'vip' }))).toEqual({ resolution: [HOUR, CN_BUSINESS] });
  });

  it('sends a handling plan within 2 business hours for any other case', () => {
    expect(match({ type: 'service_request' })?.id).toBe('default');
    expect(limits(match({ type: 'service_request' })).next_update).toEqual([2 * HOUR, CN_BUSINESS]);
    expect(match({ type: 'service_request', tier: 'vip' })?.id).toBe('default-vip');
  });

  it('matches every possible ticket and uses only the two known calendars', () => {
    expect(new Set(defaults.flatMap((p) => p.targets.map((t) => t.calendarId)))).toEqual(
      new Set([ALWAYS, CN_BUSINESS]),
    );
    expect(new Set(defaults.map((p) => p.order)).size).toBe(defaults.length);
    fc.assert(
      fc.property(
        fc.constantFrom('inquiry', 'fault', 'complaint', 'service_request' as const),
        fc.constantFrom('vip', 'gold', 'silver', 'regular' as const),
        fc.constantFrom('hotline', 'app', 'regulator', 'shop' as const),
        fc.constantFrom('general', 'major', 'urgent', undefined),
        (type, tier, channel, grade) => {
          expect(match({ type, tier, channel, grade })).toBeDefined();
        },
      ),
    );
  });
});
