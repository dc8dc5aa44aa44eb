import { describe, expect, it } from 'vitest';
import { lastCompletePeriod, latestDuePeriod, nextSendAt } from './report-schedule.js';

const SH = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);

describe('when a scheduled report is due and which period it reports', () => {
  it('sends a daily report at the local send time and reports the local day before', () => {
    const s = { frequency: 'daily' as const, sendTime: '08:00' };
    // 08:00 Beijing on 28 November is 00:00 UTC.
    expect(latestDuePeriod(s, at('2026-11-28T00:00:00Z'), SH)).toEqual({
      key: '2026-11-27',
      from: '2026-11-27',
      to: '2026-11-27',
      sendAt: at('2026-11-28T00:00:00Z'),
    });
    // One minute before the send time, the latest send is yesterday's, for the day before that.
    expect(latestDuePeriod(s, at('2026-11-27T23:59:00Z'), SH).key).toBe('2026-11-26');
    expect(nextSendAt(s, at('2026-11-27T23:59:00Z'), SH)).toEqual(at('2026-11-28T00:00:00Z'));
    expect(nextSendAt(s, at('2026-11-28T00:00:00Z'), SH)).toEqual(at('2026-11-29T00:00:00Z'));
  });

  it('counts days in the configured time zone: 23:30 UTC is already the next day in Beijing', () => {
    const s = { frequency: 'daily' as const, sendTime: '06:00' };
    // 2026-11-30 23:30 UTC = 1 December 07:30 Beijing: the 06:00 send of 1 December, for 30 November.
    expect(latestDuePeriod(s, at('2026-11-30T23:30:00Z'), SH).key).toBe('2026-11-30');
    expect(latestDuePeriod(s, at('2026-11-30T23:30:00Z'), 'UTC').key).toBe('2026-11-29');
  });

  it('sends a weekly report on Monday for the ISO week before, Monday to Sunday', () => {
    const s = { frequency: 'weekly' as const, sendTime: '09:30' };
    // Monday 30 November 2026, 09:30 Beijing.
    expect(latestDuePeriod(s, at('2026-11-30T01:30:00Z'), SH)).toMatchObject({
      key: '2026-W48',
      from: '2026-11-23',
      to: '2026-11-29',
    });
    // Sunday evening: still last Monday's send, for the week before that.
    expect(latestDuePeriod(s, at('2026-11-29T12:00:00Z'), SH)).toMatchObject({ from: '2026-11-16', to: '2026-11-22' });
    expect(nextSendAt(s, at('2026-11-28T02:00:00Z'), SH)).toEqual(at('2026-11-30T01:30:00Z'));
    // A week across the year end belongs to its ISO week-year.
    expect(latestDuePeriod(s, at('2027-01-04T02:00:00Z'), SH)).toMatchObject({
      key: '2026-W53',
      from: '2026-12-28',
      to: '2027-01-03',
    });
  });

  it('sends a monthly report on the 1st for the whole month before, across short months and the year end', () => {
    const s = { frequency: 'monthly' as const, sendTime: '07:00' };
    expect(latestDuePeriod(s, at('2027-03-01T00:00:00Z'), SH)).toMatchObject({
      key: '2027-02',
      from: '2027-02-01',
      to: '2027-02-28',
    });
    expect(latestDuePeriod(s, at('2027-01-01T00:00:00Z'), SH)).toMatchObject({
      key: '2026-12',
      from: '2026-12-01',
      to: '2026-12-31',
    });
    // 31 January 23:00 UTC is already 1 February 07:00 in Beijing: January is complete.
    expect(latestDuePeriod(s, at('2027-01-31T23:00:00Z'), SH).key).toBe('2027-01');
    expect(latestDuePeriod(s, at('2027-01-31T22:59:00Z'), SH).key).toBe('2026-12');
    expect(nextSendAt(s, at('2027-01-31T22:59:00Z'), SH)).toEqual(at('2027-01-31T23:00:00Z'));
    expect(nextSendAt(s, at('2027-01-31T23:00:00Z'), SH)).toEqual(at('2027-02-28T23:00:00Z'));
  });

  it('keeps the local send time across a daylight-saving change', () => {
    const s = { frequency: 'daily' as const, sendTime: '08:00' };
    // Europe/Berlin: CET (UTC+1) before 29 March 2026, CEST (UTC+2) after.
    expect(nextSendAt(s, at('2026-03-28T08:00:00Z'), 'Europe/Berlin')).toEqual(at('2026-03-29T06:00:00Z'));
  });

  it('gives the last complete period for "send now", whatever the send time', () => {
    expect(
      lastCompletePeriod({ frequency: 'weekly', sendTime: '23:00' }, at('2026-11-28T02:00:00Z'), SH),
    ).toMatchObject({
      from: '2026-11-16',
      to: '2026-11-22',
    });
    expect(lastCompletePeriod({ frequency: 'monthly', sendTime: '23:00' }, at('2026-11-28T02:00:00Z'), SH).key).toBe(
      '2026-10',
    );
  });
});
