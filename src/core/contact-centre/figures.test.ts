import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abandonRate,
  answerRate,
  applyCallEvent,
  averageSpeedOfAnswer,
  callFacts,
  CC_MEASURES,
  containment,
  contactCentreSettingsProblems,
  conversationFacts,
  DEFAULT_CONTACT_CENTRE_SETTINGS as S,
  emptyCcMeasures,
  factsDelta,
  intervalOf,
  intervalsOfDay,
  isPeak,
  meanFirstResponse,
  noCall,
  peakMeasures,
  serviceLevel,
  sumCc,
  type CallEventKind,
  type CcMeasures,
  type ContactFacts,
  type CtiEvent,
} from './figures.js';

const TZ = 'Asia/Shanghai';
/** 2026-11-02 hh:mm:ss Beijing time (UTC+8). */
const bj = (hhmmss: string) => new Date(`2026-11-02T${hhmmss}+08:00`);
const ev = (callId: string, event: CallEventKind, hhmmss: string, extra: Partial<CtiEvent> = {}) => ({
  callId,
  e: { event, at: bj(hhmmss), ...extra },
});

/**
 * What the webhook use case does, in memory: apply each event to its call, recompute the call's
 * facts and add the difference to the roll-up (interval start → measures).
 */
function replay(events: { callId: string; e: CtiEvent }[], settings = S) {
  const calls = new Map<string, ReturnType<typeof noCall>>();
  const facts = new Map<string, ContactFacts | null>();
  const rollup = new Map<string, { minute: number; day: string; cells: CcMeasures }>();
  for (const { callId, e } of events) {
    const call = applyCallEvent(calls.get(callId) ?? noCall(), e);
    calls.set(callId, call);
    const after = callFacts(call, settings, TZ);
    for (const d of factsDelta(facts.get(callId) ?? null, after)) {
      const k = d.key.start.toISOString();
      const row = rollup.get(k) ?? { minute: d.key.minute, day: d.key.day, cells: emptyCcMeasures() };
      for (const m of CC_MEASURES) row.cells[m] += d.cells[m];
      rollup.set(k, row);
    }
    facts.set(callId, after);
  }
  return rollup;
}

describe('15-minute intervals in local time', () => {
  it('puts an instant in the local quarter hour it falls in (Asia/Shanghai)', () => {
    const i = intervalOf(new Date('2026-11-01T16:14:59.999Z'), TZ); // 00:14:59.999 on the 2nd in Beijing
    expect(i).toEqual({ start: new Date('2026-11-01T16:00:00Z'), day: '2026-11-02', minute: 0 });
    expect(intervalOf(bj('09:15:00'), TZ).minute).toBe(9 * 60 + 15);
    expect(intervalOf(bj('23:59:59'), TZ)).toMatchObject({ day: '2026-11-02', minute: 23 * 60 + 45 });
  });

  it('keeps quarter boundaries in a zone offset by 45 minutes and on a day the clocks change', () => {
    const k = intervalOf(new Date('2026-03-01T03:20:00Z'), 'Asia/Kathmandu'); // +05:45 → 09:05 local
    expect(k.minute).toBe(9 * 60);
    expect(intervalsOfDay('2026-11-02', TZ)).toHaveLength(96);
    expect(intervalsOfDay('2026-03-08', 'America/New_York')).toHaveLength(92); // 23-hour day
    expect(intervalsOfDay('2026-11-01', 'America/New_York')).toHaveLength(100); // 25-hour day
  });

  it('tells peak intervals from the others', () => {
    expect(isPeak(9 * 60, S.peakHours)).toBe(true);
    expect(isPeak(11 * 60 + 45, S.peakHours)).toBe(true);
    expect(isPeak(12 * 60, S.peakHours)).toBe(false);
    expect(isPeak(8 * 60 + 45, S.peakHours)).toBe(false);
  });
});

describe('what one call contributes', () => {
  it('counts an answered call in the interval it was offered, with its speed of answer', () => {
    let c = noCall();
    for (const e of [
      ev('a', 'started', '09:14:10').e,
      ev('a', 'offered', '09:14:40').e,
      ev('a', 'answered', '09:15:05').e,
    ])
      c = applyCallEvent(c, e);
    const f = callFacts(c, S, TZ)!;
    expect(f.interval.minute).toBe(9 * 60);
    expect(f.cells).toMatchObject({ offered: 1, answered: 1, answered_in_sl: 1, answer_wait_ms: 25_000, abandoned: 0 });
  });

  it('prefers the wait the ACD reports and tells a short abandon from a real one', () => {
    const base = applyCallEvent(noCall(), { event: 'offered', at: bj('10:00:00'), queue: 'billing' });
    const short = callFacts(applyCallEvent(base, { event: 'abandoned', at: bj('10:00:03') }), S, TZ)!;
    expect(short.cells).toMatchObject({ abandoned: 1, short_abandoned: 1, abandon_wait_ms: 3000 });
    expect(short.queue).toBe('billing');
    const reported = callFacts(
      applyCallEvent(base, { event: 'abandoned', at: bj('10:00:03'), waitSeconds: 42 }),
      S,
      TZ,
    )!;
    expect(reported.cells).toMatchObject({ abandoned: 1, short_abandoned: 0, abandon_wait_ms: 42_000 });
    const noShort = callFacts(
      applyCallEvent(base, { event: 'abandoned', at: bj('10:00:03') }),
      { ...S, shortAbandonSeconds: 0 },
      TZ,
    )!;
    expect(noShort.cells.short_abandoned).toBe(0);
  });

  it('takes an end without an answer after the offer as an abandon', () => {
    const c = applyCallEvent(applyCallEvent(noCall(), { event: 'queued', at: bj('10:00:00') }), {
      event: 'ended',
      at: bj('10:01:00'),
    });
    expect(callFacts(c, S, TZ)!.cells).toMatchObject({ offered: 1, abandoned: 1, abandon_wait_ms: 60_000 });
  });

  it('counts a call from a system without ACD events only once answered (an IVR-only call is no offer)', () => {
    const ivrOnly = applyCallEvent(applyCallEvent(noCall(), { event: 'started', at: bj('10:00:00') }), {
      event: 'ended',
      at: bj('10:02:00'),
    });
    expect(callFacts(ivrOnly, S, TZ)).toBeNull();
    const answered = applyCallEvent(ivrOnly, { event: 'answered', at: bj('10:00:40') });
    expect(callFacts(answered, S, TZ)!.cells).toMatchObject({ offered: 1, answered: 1, answered_in_sl: 0 });
  });

  it('a call still waiting is offered and nothing else', () => {
    const waiting = applyCallEvent(noCall(), { event: 'offered', at: bj('10:00:00') });
    expect(callFacts(waiting, S, TZ)!.cells).toEqual({ ...emptyCcMeasures(), offered: 1 });
  });
});

describe('answer rate from a hand-made sequence of CTI events', () => {
  // 09:00–09:15 (peak): a answered in 10 s; b answered across the 09:15 boundary in 25 s (counts
  // at 09:00); c abandoned after 3 s (short); d abandoned after 60 s. 09:15–09:30: e answered in
  // 45 s (outside the service level). 08:45 (not peak): f abandoned after 20 s, g answered in 5 s.
  // Duplicates and out-of-order deliveries are mixed in; none may count twice.
  const sequence = [
    ev('a', 'started', '09:00:50'),
    ev('a', 'offered', '09:01:00'),
    ev('a', 'answered', '09:01:10'),
    ev('a', 'answered', '09:01:10'), // retry
    ev('b', 'offered', '09:14:50'),
    ev('b', 'answered', '09:15:15'),
    ev('c', 'offered', '09:05:00'),
    ev('c', 'abandoned', '09:05:03'),
    ev('d', 'abandoned', '09:11:00'), // the abandon before the offer (out of order)
    ev('d', 'offered', '09:10:00'),
    ev('d', 'ended', '09:11:00'),
    ev('e', 'answered', '09:20:45'), // answered first: counts at 09:20 (started) until the offer arrives
    ev('e', 'started', '09:19:30'),
    ev('e', 'offered', '09:20:00'),
    ev('e', 'offered', '09:20:00'),
    ev('f', 'queued', '08:50:00'),
    ev('f', 'ended', '08:50:20'),
    ev('g', 'offered', '08:59:00', { queue: 'billing' }),
    ev('g', 'answered', '08:59:05', { waitSeconds: 5 }),
    ev('g', 'ended', '09:03:00'),
    ev('g', 'ended', '09:03:00'),
  ];

  it('gives the counts per interval, whatever the duplicates and the order', () => {
    const rollup = replay(sequence);
    const at = (t: string) => rollup.get(bj(t).toISOString())?.cells;
    expect(at('09:00:00')).toMatchObject({
      offered: 4,
      answered: 2,
      abandoned: 2,
      short_abandoned: 1,
      answered_in_sl: 2,
    });
    expect(at('09:00:00')!.answer_wait_ms).toBe(10_000 + 25_000);
    expect(at('09:15:00')).toMatchObject({ offered: 1, answered: 1, answered_in_sl: 0, answer_wait_ms: 45_000 });
    expect(at('08:45:00')).toMatchObject({ offered: 2, answered: 1, abandoned: 1, short_abandoned: 0 });
    expect(at('09:30:00')).toBeUndefined();
  });

  it('computes the answer rate, peak answer rate, service level and ASA', () => {
    const rows = [...replay(sequence).values()];
    const all = sumCc(rows.map((r) => r.cells));
    // 7 offered, 1 short abandon → base 6; 4 answered.
    expect(answerRate(all)).toEqual({ value: 4 / 6, numerator: 4, denominator: 6 });
    expect(abandonRate(all)).toBeCloseTo(2 / 6);
    expect(serviceLevel(all)).toBeCloseTo(3 / 6);
    expect(averageSpeedOfAnswer(all)).toBe((10_000 + 25_000 + 45_000 + 5000) / 4);
    const peak = peakMeasures(rows, S.peakHours);
    // 09:00 and 09:15 only: 5 offered, 1 short → base 4; 3 answered = 75 % < 95 %.
    expect(answerRate(peak).value).toBe(0.75);
    expect(answerRate(peakMeasures(rows, [{ from: '08:00', to: '09:00' }])).value).toBe(0.5);
  });

  it('counts a short abandon in the base when the threshold is 0', () => {
    const all = sumCc([...replay(sequence, { ...S, shortAbandonSeconds: 0 }).values()].map((r) => r.cells));
    expect(answerRate(all)).toMatchObject({ numerator: 4, denominator: 7 });
  });

  it('has no answer rate without calls (no data, not 0 % or 100 %)', () => {
    expect(answerRate(emptyCcMeasures()).value).toBeNull();
    expect(averageSpeedOfAnswer(emptyCcMeasures())).toBeNull();
  });

  it('ends with the same roll-up in any order of delivery, with any repeats (property)', () => {
    const expected = replay(sequence);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(sequence, { minLength: sequence.length, maxLength: sequence.length }),
        fc.array(fc.nat(sequence.length - 1), { maxLength: 10 }),
        (shuffled, repeats) => {
          const got = replay([...shuffled, ...repeats.map((i) => sequence[i]!)]);
          const nonZero = (m: typeof got) =>
            [...m.entries()].filter(([, r]) => CC_MEASURES.some((k) => r.cells[k] !== 0)).sort();
          // First events of each kind win: a shuffle can change which of two `ended` comes first
          // only when they are equal, so the totals cannot differ.
          expect(nonZero(got)).toEqual(nonZero(expected));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('chat figures', () => {
  const created = bj('10:02:00');
  it('counts a conversation the bot settled as contained', () => {
    const f = conversationFacts(
      {
        createdAt: created,
        queuedAt: null,
        acceptedAt: null,
        firstHumanResponseAt: null,
        endedAt: bj('10:04:00'),
        outcome: 'settled',
        teamId: null,
      },
      S,
      TZ,
    );
    expect(f.cells).toMatchObject({ conversations: 1, ended: 1, contained: 1, offered: 0 });
    expect(f.interval.minute).toBe(10 * 60);
  });

  it('counts a hand-off with its wait and first human response against the 30-second target', () => {
    const f = conversationFacts(
      {
        createdAt: created,
        queuedAt: bj('10:03:00'),
        acceptedAt: bj('10:03:20'),
        firstHumanResponseAt: bj('10:03:40'),
        endedAt: bj('10:10:00'),
        outcome: 'settled',
        teamId: 'team-1',
      },
      S,
      TZ,
    );
    expect(f.cells).toMatchObject({
      offered: 1,
      answered: 1,
      answer_wait_ms: 20_000,
      first_responses: 1,
      first_response_ms: 40_000,
      first_response_in_target: 0,
      ended: 1,
      contained: 0,
    });
    expect(f.queue).toBe('team-1');
  });

  it('does not count a message left for a person as contained', () => {
    const f = conversationFacts(
      {
        createdAt: created,
        queuedAt: null,
        acceptedAt: null,
        firstHumanResponseAt: null,
        endedAt: bj('10:04:00'),
        outcome: 'left_message',
        teamId: null,
      },
      S,
      TZ,
    );
    expect(f.cells.contained).toBe(0);
    const m = sumCc([f.cells, { ended: 1, contained: 1 }, { first_responses: 2, first_response_ms: 30_000 }]);
    expect(containment(m)).toBe(0.5);
    expect(meanFirstResponse(m)).toBe(15_000);
  });
});

describe('fact deltas', () => {
  const facts = (minute: string, cells: Partial<CcMeasures>): ContactFacts => ({
    media: 'voice',
    queue: '',
    interval: intervalOf(bj(minute), TZ),
    cells: { ...emptyCcMeasures(), ...cells },
  });
  it('is empty for a repeat and moves a contact between intervals', () => {
    expect(factsDelta(facts('09:00:00', { offered: 1 }), facts('09:00:00', { offered: 1 }))).toEqual([]);
    const moved = factsDelta(
      facts('09:20:00', { offered: 1, answered: 1 }),
      facts('09:10:00', { offered: 1, answered: 1 }),
    );
    expect(moved.map((d) => [d.key.minute, d.cells.offered])).toEqual([
      [9 * 60 + 15, -1],
      [9 * 60, 1],
    ]);
  });
});

describe('settings', () => {
  it('accepts the defaults and refuses peak hours that end before they start', () => {
    expect(contactCentreSettingsProblems(S)).toEqual([]);
    expect(contactCentreSettingsProblems({ ...S, peakHours: [{ from: '12:00', to: '09:00' }] })).toHaveLength(1);
    expect(contactCentreSettingsProblems({ ...S, peakHours: [{ from: '9:00', to: '25:00' }] })).toHaveLength(1);
  });
});
