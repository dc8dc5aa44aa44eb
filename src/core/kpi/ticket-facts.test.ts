import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KPI_SETTINGS } from './settings.js';
import {
  cellDelta,
  marginalsOf,
  cellKey,
  cellsOf,
  localDay,
  ticketFacts,
  wordDelta,
  type FactCell,
  type FactEvent,
  type TicketFactsInput,
} from './ticket-facts.js';

const settings = {
  fcrWindowDays: 7,
  handlingTargetHours: DEFAULT_KPI_SETTINGS.handlingTargetHours,
  timeZone: 'Asia/Shanghai',
};
const T0 = new Date('2026-11-02T02:00:00Z'); // 10:00 Beijing, Monday
const at = (h: number) => new Date(T0.getTime() + h * 3_600_000);
const ev = (kind: string, h: number, data: Record<string, unknown> = {}): FactEvent => ({ kind, at: at(h), data });
const reply = (h: number) => ev('message_added', h, { visibility: 'public', messageId: 'm' });
const resolve = (h: number) => ev('status_changed', h, { action: 'resolve', from: 'in_progress', to: 'resolved' });

const input = (over: Partial<TicketFactsInput> = {}): TicketFactsInput => ({
  ticket: {
    type: 'fault',
    categoryId: 'cat-1',
    channel: 'hotline',
    teamId: 'team-1',
    assigneeId: 'agent-1',
    region: '杭州',
    createdAt: T0,
    isRepeat: false,
  },
  events: [ev('created', 0), reply(1), resolve(5)],
  slaTargets: [],
  laterContacts: [],
  words: [],
  ...over,
});

describe('facts of one ticket', () => {
  it('counts a ticket resolved without transfer, reopening or repeat contact as resolved at first contact', () => {
    const f = ticketFacts(input(), settings);
    expect(f.fcr).toBe(true);
    expect(f.handlingMs).toBe(5 * 3_600_000);
    expect(f.withinTarget).toBe(true); // fault ≤ 24 h
    expect(f.firstResponseMs).toBe(3_600_000);
    expect(f.resolvedDay).toBe('2026-11-02');
  });

  it('is not first-contact resolution when the ticket was escalated to another tier', () => {
    const f = ticketFacts(input({ events: [ev('created', 0), ev('escalated', 1), reply(2), resolve(3)] }), settings);
    expect(f.fcr).toBe(false);
    expect(f.transferred).toBe(true);
  });

  it('is not first-contact resolution after a transfer to another team, but is after the first placement on a team', () => {
    const placed = ev('assigned', 0, { before: { teamId: null }, after: { teamId: 'team-1' } });
    const moved = ev('assigned', 1, { before: { teamId: 'team-1' }, after: { teamId: 'team-2' } });
    const sameTeam = ev('assigned', 1, { before: { teamId: 'team-1' }, after: { teamId: 'team-1' } });
    expect(ticketFacts(input({ events: [placed, sameTeam, reply(2), resolve(3)] }), settings).fcr).toBe(true);
    expect(ticketFacts(input({ events: [placed, moved, reply(2), resolve(3)] }), settings).fcr).toBe(false);
  });

  it('is not first-contact resolution when the customer came back on the same category within 7 days of the resolution', () => {
    const within = ticketFacts(input({ laterContacts: [at(5 + 24 * 7)] }), settings);
    const after = ticketFacts(input({ laterContacts: [at(5 + 24 * 7 + 1)] }), settings);
    expect(within.fcr).toBe(false);
    expect(after.fcr).toBe(true);
    expect(ticketFacts(input({ laterContacts: [at(5 + 24 * 3)] }), { ...settings, fcrWindowDays: 2 }).fcr).toBe(true);
  });

  it('counts a reopened ticket once, at its final resolution, with the whole time as handling time and not as first-contact resolution', () => {
    const events = [
      ev('created', 0),
      reply(1),
      resolve(2),
      ev('status_changed', 10, { action: 'reopen', from: 'resolved', to: 'in_progress' }),
      resolve(30),
    ];
    const f = ticketFacts(input({ events }), settings);
    expect(f.reopened).toBe(true);
    expect(f.fcr).toBe(false);
    expect(f.handlingMs).toBe(30 * 3_600_000);
    expect(f.withinTarget).toBe(false); // 30 h > 24 h
    const resolvedCells = f.contributions.filter((c) => c.measures.resolved);
    expect(resolvedCells).toEqual([expect.objectContaining({ day: '2026-11-03' })]);
  });

  it('keeps a reopened ticket that is open again out of the resolved counts', () => {
    const events = [
      ev('created', 0),
      reply(1),
      resolve(2),
      ev('status_changed', 3, { from: 'resolved', to: 'assigned' }),
    ];
    const f = ticketFacts(input({ events }), settings);
    expect(f.resolvedAt).toBeNull();
    expect(f.fcr).toBeNull();
    expect(f.contributions.some((c) => c.measures.resolved)).toBe(false);
  });

  it('counts a ticket merged into another as a contact but never as resolved', () => {
    const events = [ev('created', 0), ev('merged', 1, { into: 'x', intoNumber: 'T-1', from: 'new' }), resolve(1)];
    const f = ticketFacts(input({ events }), settings);
    expect(f.merged).toBe(true);
    expect(f.resolvedAt).toBeNull();
    expect(f.contributions).toEqual([{ day: '2026-11-02', metric: '', measures: { contacts: 1 } }]);
  });

  it('takes business handling time from the met resolution clock, so paused spells and closed hours do not count', () => {
    const f = ticketFacts(
      input({
        slaTargets: [{ metric: 'resolution', breachedAt: null, metAt: at(5), consumedMs: 2 * 3_600_000 }],
      }),
      settings,
    );
    expect(f.handlingMs).toBe(5 * 3_600_000);
    expect(f.handlingBusinessMs).toBe(2 * 3_600_000);
  });

  it('counts SLA outcomes per target on the creation day: met, breached, and running clocks not at all', () => {
    const f = ticketFacts(
      input({
        slaTargets: [
          { metric: 'first_response', breachedAt: null, metAt: at(1), consumedMs: 0 },
          { metric: 'resolution', breachedAt: at(3), metAt: at(5), consumedMs: 0 },
          { metric: 'handling_plan', breachedAt: null, metAt: null, consumedMs: 0 },
          { metric: 'subtask:0197', breachedAt: at(1), metAt: null, consumedMs: 0 },
        ],
      }),
      settings,
    );
    expect(f.hasLimits).toBe(true);
    expect(f.breached).toBe(true);
    const byMetric = Object.fromEntries(f.contributions.filter((c) => c.metric).map((c) => [c.metric, c.measures]));
    expect(byMetric).toEqual({ first_response: { sla_met: 1 }, resolution: { sla_breached: 1 } });
  });

  it('ignores the customer’s own messages and automatic mails when finding the first response', () => {
    const events = [
      ev('created', 0),
      ev('message_added', 1, { visibility: 'public', fromCustomer: true }),
      ev('message_added', 2, { visibility: 'public', automatic: 'auto_reply' }),
      ev('message_added', 3, { visibility: 'internal' }),
      reply(4),
      resolve(5),
    ];
    expect(ticketFacts(input({ events }), settings).firstResponseMs).toBe(4 * 3_600_000);
  });

  it('puts each fact on the Beijing calendar day it happened, across midnight and across periods', () => {
    // Created 2026-11-30 23:30 Beijing (15:30 UTC), resolved 2026-12-01 01:00 Beijing (17:00 UTC).
    const created = new Date('2026-11-30T15:30:00Z');
    const f = ticketFacts(
      input({
        ticket: { ...input().ticket, createdAt: created },
        events: [
          ev('created', 0),
          { kind: 'message_added', at: new Date('2026-11-30T15:45:00Z'), data: { visibility: 'public' } },
          {
            kind: 'status_changed',
            at: new Date('2026-11-30T17:00:00Z'),
            data: { from: 'in_progress', to: 'resolved' },
          },
        ],
      }),
      settings,
    );
    expect(f.createdDay).toBe('2026-11-30');
    expect(f.resolvedDay).toBe('2026-12-01');
    expect(f.contributions.map((c) => [c.day, Object.keys(c.measures).sort().join(',')])).toEqual([
      ['2026-11-30', 'contacts,first_response_ms,first_responses'],
      ['2026-12-01', 'fcr,handling_ms,resolved,within_target'],
    ]);
    expect(localDay(new Date('2026-11-30T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-01');
  });

  it('puts the same instants on the days of the installation’s own time zone', () => {
    // Created 2026-11-30 23:30 Beijing = 20:30 Urumqi (UTC+6, still the 30th in both); resolved
    // 2026-12-01 01:00 Beijing = 2026-11-30 23:00 Urumqi: another day in Beijing, the same in Urumqi.
    const facts = (timeZone: string) =>
      ticketFacts(
        input({
          ticket: { ...input().ticket, createdAt: new Date('2026-11-30T15:30:00Z') },
          events: [
            ev('created', 0),
            {
              kind: 'status_changed',
              at: new Date('2026-11-30T17:00:00Z'),
              data: { from: 'in_progress', to: 'resolved' },
            },
          ],
        }),
        { ...settings, timeZone },
      );
    expect([facts('Asia/Shanghai').createdDay, facts('Asia/Shanghai').resolvedDay]).toEqual([
      '2026-11-30',
      '2026-12-01',
    ]);
    expect([facts('Asia/Urumqi').createdDay, facts('Asia/Urumqi').resolvedDay]).toEqual(['2026-11-30', '2026-11-30']);
    expect(facts('Asia/Urumqi').contributions.map((c) => c.day)).toEqual(['2026-11-30']);
    // A period boundary (the month) follows the zone too: December in Beijing, November in Urumqi.
    expect(localDay(new Date('2026-11-30T16:30:00Z'), 'Asia/Shanghai').slice(0, 7)).toBe('2026-12');
    expect(localDay(new Date('2026-11-30T16:30:00Z'), 'Asia/Urumqi').slice(0, 7)).toBe('2026-11');
  });

  it('counts complaints, appeals (regulator referrals) and repeat contacts', () => {
    const f = ticketFacts(
      input({ ticket: { ...input().ticket, type: 'complaint', channel: 'regulator', isRepeat: true } }),
      settings,
    );
    expect(f.contributions[0]!.measures).toMatchObject({ contacts: 1, complaints: 1, appeals: 1, repeats: 1 });
  });
});

describe('roll-up deltas', () => {
  const cell = (day: string, agentId: string, contacts: number): FactCell => ({
    day,
    metric: '',
    teamId: 't',
    agentId,
    type: 'fault',
    categoryId: '',
    channel: 'hotline',
    region: '',
    measures: { contacts },
  });

  it('moves a ticket’s counts from one agent to another when it is reassigned', () => {
    expect(cellDelta([cell('2026-11-02', 'a', 1)], [cell('2026-11-02', 'b', 1)])).toEqual([
      { ...cell('2026-11-02', 'a', -1) },
      { ...cell('2026-11-02', 'b', 1) },
    ]);
  });

  it('adds nothing when the facts did not change', () => {
    const f = ticketFacts(input(), settings);
    expect(cellDelta(cellsOf(f), cellsOf(f))).toEqual([]);
  });

  it('applied to the old cells always gives the new ones (property)', () => {
    const arbCell = fc
      .record({
        day: fc.constantFrom('2026-11-01', '2026-11-02'),
        agentId: fc.constantFrom('a', 'b'),
        n: fc.integer({ min: 1, max: 5 }),
      })
      .map((r) => cell(r.day, r.agentId, r.n));
    fc.assert(
      fc.property(fc.array(arbCell, { maxLength: 5 }), fc.array(arbCell, { maxLength: 5 }), (before, after) => {
        const sum = (cells: FactCell[]) => {
          const m = new Map<string, number>();
          for (const c of cells) m.set(cellKey(c), (m.get(cellKey(c)) ?? 0) + (c.measures.contacts ?? 0));
          return m;
        };
        const total = sum([...before, ...cellDelta(before, after)]);
        const expected = sum(after);
        for (const key of new Set([...total.keys(), ...expected.keys()]))
          expect(total.get(key) ?? 0).toBe(expected.get(key) ?? 0);
      }),
    );
  });

  it('moves word counts when the text or the creation day changes', () => {
    expect(wordDelta({ day: 'd1', words: ['宽带', '掉线'] }, { day: 'd1', words: ['宽带', '资费'] })).toEqual([
      { day: 'd1', word: '掉线', delta: -1 },
      { day: 'd1', word: '资费', delta: 1 },
    ]);
    expect(wordDelta(null, { day: 'd1', words: ['宽带'] })).toEqual([{ day: 'd1', word: '宽带', delta: 1 }]);
  });
});

describe('the roll-up summed by each dimension alone', () => {
  it('adds every cell to the centre and to its own team, agent, type, category, channel and region, dropping zeros', () => {
    const dims = {
      teamId: 'T',
      agentId: 'A',
      type: 'fault',
      categoryId: 'C',
      channel: 'hotline',
      region: '广州',
    } as const;
    const out = marginalsOf([
      { ...dims, day: '2026-11-20', metric: '', measures: { contacts: 1, resolved: 1 } },
      { ...dims, agentId: 'B', day: '2026-11-20', metric: '', measures: { contacts: 2, resolved: -1 } },
    ]);
    const of = (dim: string, key: string) => out.find((c) => c.dim === dim && c.key === key)?.measures;
    expect(of('', '')).toEqual({ contacts: 3 });
    expect(of('team', 'T')).toEqual({ contacts: 3 });
    expect(of('agent', 'A')).toEqual({ contacts: 1, resolved: 1 });
    expect(of('agent', 'B')).toEqual({ contacts: 2, resolved: -1 });
    expect(of('region', '广州')).toEqual({ contacts: 3 });
    expect(out).toHaveLength(8);
    expect(marginalsOf([{ ...dims, day: '2026-11-20', metric: 'resolution', measures: { sla_met: 0 } }])).toEqual([]);
  });
});
