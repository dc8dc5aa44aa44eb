import { DateTime } from 'luxon';

// Scheduled reports (issue 16): when a schedule is due and which complete period it reports, in
// the installation's time zone. Daily sends at the send time every day and reports yesterday;
// weekly on Monday and reports the week before (Monday…Sunday); monthly on the 1st and reports the
// month before. Pure: the job and the API only ask these functions.

export const REPORT_FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number];

/** A send time "HH:MM" (24 h, local). */
export const SEND_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export type ReportPeriod = {
  /** Unique per schedule: `2026-11-27` (day), `2026-W48` (ISO week), `2026-11` (month). */
  key: string;
  /** Local days from…to, inclusive. */
  from: string;
  to: string;
  /** The send instant this period belongs to. */
  sendAt: Date;
};

type Schedule = { frequency: ReportFrequency; sendTime: string };

function clockOf(sendTime: string): { hour: number; minute: number } {
  const m = SEND_TIME.exec(sendTime);
  if (!m) throw new Error(`send time ${sendTime} is not HH:MM`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** The first local day of the cycle containing `day` (the day, its Monday, the 1st). */
function cycleStart(day: DateTime, f: ReportFrequency): DateTime {
  return f === 'daily' ? day.startOf('day') : f === 'weekly' ? day.startOf('week') : day.startOf('month');
}

const step = (f: ReportFrequency) => (f === 'daily' ? { days: 1 } : f === 'weekly' ? { weeks: 1 } : { months: 1 });

/** The send instant of the cycle that starts on local day `start`. */
function sendInstant(start: DateTime, sendTime: string): DateTime {
  return start.set({ ...clockOf(sendTime), second: 0, millisecond: 0 });
}

/** The complete period reported by a send on cycle start `start`: the cycle before it. */
function periodBefore(start: DateTime, s: Schedule, sendAt: DateTime): ReportPeriod {
  const from = start.minus(step(s.frequency));
  const to = start.minus({ days: 1 });
  const key =
    s.frequency === 'daily'
      ? from.toISODate()!
      : s.frequency === 'weekly'
        ? `${from.weekYear}-W${String(from.weekNumber).padStart(2, '0')}`
        : from.toFormat('yyyy-MM');
  return { key, from: from.toISODate()!, to: to.toISODate()!, sendAt: sendAt.toJSDate() };
}

/** The latest send at or before `now` and the period it reports. */
export function latestDuePeriod(s: Schedule, now: Date, timeZone: string): ReportPeriod {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  let start = cycleStart(local, s.frequency);
  let at = sendInstant(start, s.sendTime);
  if (at > local) {
    start = cycleStart(start.minus({ days: 1 }), s.frequency);
    at = sendInstant(start, s.sendTime);
  }
  return periodBefore(start, s, at);
}

/** The first send strictly after `now`. */
export function nextSendAt(s: Schedule, now: Date, timeZone: string): Date {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const start = cycleStart(local, s.frequency);
  const at = sendInstant(start, s.sendTime);
  return (at > local ? at : sendInstant(start.plus(step(s.frequency)), s.sendTime)).toJSDate();
}

/** The latest complete period at `now` ("send now" reports it, outside the regular sends). */
export function lastCompletePeriod(s: Schedule, now: Date, timeZone: string): ReportPeriod {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  return periodBefore(cycleStart(local, s.frequency), s, local);
}
