import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  slaApi,
  type BusinessCalendar,
  type CalendarDayKind,
  type HolidayImport,
  type HolidayImportPreview,
} from '../api/admin-rules';
import { ErrorText } from '../components/ErrorText';
import { splitList } from './rules-form';
import './admin-rules.css';

// Business calendars: a month view of working days, days off, public holidays and make-up
// working days (调休上班); a day is set by clicking it, and the server recomputes the due times of
// open tickets on that calendar. Weekly hours are edited as text; a year's schedule is imported
// from .ics or JSON after a preview. A banner says when the coming weeks are in a year with no
// holidays loaded.

const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
type Kind = 'holiday' | 'workday' | 'work' | 'off';

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
/** ISO weekday (1 Monday … 7 Sunday) of a calendar date. */
const weekdayOf = (y: number, m: number, d: number) => ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;

function kindOf(cal: BusinessCalendar, date: string): Kind {
  if (cal.holidays.includes(date)) return 'holiday';
  if (cal.workdays.some((w) => w.date === date)) return 'workday';
  if (cal.alwaysOpen) return 'work';
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return (cal.weekly[String(weekdayOf(y, m, d)) as '1']?.length ?? 0) > 0 ? 'work' : 'off';
}

const yearsOf = (cal: BusinessCalendar) =>
  [...new Set([...cal.holidays, ...cal.workdays.map((w) => w.date)].map((d) => d.slice(0, 4)))].sort();

export default function CalendarsSection() {
  const { t } = useTranslation();
  const calendars = useQuery({ queryKey: ['admin', 'calendars'], queryFn: slaApi.calendars });
  const coverage = useQuery({ queryKey: ['admin', 'calendar-coverage'], queryFn: slaApi.coverage });
  const items = calendars.data?.items ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const calendar =
    items.find((c) => c.id === chosen) ?? items.find((c) => c.id === 'cn-business') ?? items.find((c) => !c.alwaysOpen);

  return (
    <div className="admin-rules calendars">
      <h2>{t('admin.calendars.title')}</h2>
      <p className="muted">{t('admin.calendars.intro')}</p>
      {(coverage.data?.gaps ?? []).map((g) => (
        <p key={g.calendarId} className="warning-banner coverage-warning" role="alert" data-calendar={g.calendarId}>
          {t('admin.calendars.coverage', {
            days: coverage.data?.horizonDays ?? 60,
            name: g.name,
            years: g.missingYears.join(', '),
            from: g.from,
          })}
        </p>
      ))}
      <ErrorText error={calendars.error ?? coverage.error} />
      {calendars.isPending && <p className="loading">{t('list.loading')}</p>}
      {items.length > 0 && (
        <label className="calendar-choice">
          {t('admin.calendars.calendar')}
          <select name="calendar" value={calendar?.id ?? ''} onChange={(e) => setChosen(e.target.value)}>
            {items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.id})
              </option>
            ))}
          </select>
        </label>
      )}
      {calendar && (
        <CalendarEditor
          key={calendar.id}
          calendar={calendar}
          today={coverage.data?.asOf.slice(0, 10) ?? new Date().toISOString().slice(0, 10)}
        />
      )}
    </div>
  );
}

function CalendarEditor({ calendar, today }: { calendar: BusinessCalendar; today: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [month, setMonth] = useState(() => ({ y: Number(today.slice(0, 4)), m: Number(today.slice(5, 7)) }));
  const [selected, setSelected] = useState<string | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: ['admin'] });
  const setDay = useMutation({
    mutationFn: ({ date, kind }: { date: string; kind: CalendarDayKind }) => slaApi.setDay(calendar.id, date, kind),
    onSuccess: () => refresh(),
  });
  const years = yearsOf(calendar);
  const kindLabel = (k: Kind) => t(`admin.calendars.legend.${k}`);
  const selectedKind = selected ? kindOf(calendar, selected) : null;

  return (
    <>
      <p className="muted calendar-facts">
        {t('admin.calendars.timeZone')}: {calendar.timeZone} ·{' '}
        {calendar.alwaysOpen ? t('admin.calendars.alwaysOpen') : null}
        {t('admin.calendars.holidays', { count: calendar.holidays.length })} ·{' '}
        {t('admin.calendars.workdays', { count: calendar.workdays.length })} ·{' '}
        {years.length ? t('admin.calendars.years', { years: years.join(', ') }) : t('admin.calendars.noYears')}
      </p>
      <div className="calendar-layout">
        <MonthView
          calendar={calendar}
          year={month.y}
          month={month.m}
          selected={selected}
          onSelect={setSelected}
          onMonth={(y, m) => setMonth({ y, m })}
        />
        <div className="panel day-panel">
          {calendar.alwaysOpen ? (
            <p className="muted">{t('admin.calendars.alwaysOpenDays')}</p>
          ) : selected && selectedKind ? (
            <>
              <h3 className="selected-day">
                {t('admin.calendars.selected', { date: selected, kind: kindLabel(selectedKind) })}
              </h3>
              <div className="row wrap">
                <button
                  type="button"
                  className="make-holiday"
                  disabled={selectedKind === 'holiday' || setDay.isPending}
                  onClick={() => setDay.mutate({ date: selected, kind: 'holiday' })}
                >
                  {t('admin.calendars.makeHoliday')}
                </button>
                <button
                  type="button"
                  className="make-workday"
                  disabled={selectedKind === 'workday' || setDay.isPending}
                  onClick={() => setDay.mutate({ date: selected, kind: 'workday' })}
                >
                  {t('admin.calendars.makeWorkday')}
                </button>
                <button
                  type="button"
                  className="make-normal"
                  disabled={(selectedKind !== 'holiday' && selectedKind !== 'workday') || setDay.isPending}
                  onClick={() => setDay.mutate({ date: selected, kind: 'normal' })}
                >
                  {t('admin.calendars.makeNormal')}
                </button>
              </div>
            </>
          ) : (
            <p className="muted">{t('admin.calendars.pickDay')}</p>
          )}
          {setDay.data && (
            <p className="ok recomputed" role="status">
              {t('admin.calendars.recomputed', { count: setDay.data.recomputedTickets })}
            </p>
          )}
          <ErrorText error={setDay.error} />
        </div>
      </div>
      {!calendar.alwaysOpen && <WeeklyHours calendar={calendar} onSaved={refresh} />}
      <ImportPanel calendar={calendar} onSaved={refresh} />
    </>
  );
}

function MonthView(props: {
  calendar: BusinessCalendar;
  year: number;
  month: number;
  selected: string | null;
  onSelect: (date: string) => void;
  onMonth: (year: number, month: number) => void;
}) {
  const { t } = useTranslation();
  const { year, month } = props;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = weekdayOf(year, month, 1) - 1;
  const go = (by: number) => {
    const index = year * 12 + (month - 1) + by;
    props.onMonth(Math.floor(index / 12), (index % 12) + 1);
  };
  return (
    <div className="month-view">
      <div className="row month-nav">
        <button type="button" className="prev-month" aria-label={t('admin.calendars.prevMonth')} onClick={() => go(-1)}>
          ‹
        </button>
        <strong className="month-title" data-month={`${year}-${pad(month)}`}>
          {t('admin.calendars.month', { year, month })}
        </strong>
        <button type="button" className="next-month" aria-label={t('admin.calendars.nextMonth')} onClick={() => go(1)}>
          ›
        </button>
      </div>
      <div className="month">
        {WEEKDAYS.map((w) => (
          <span key={w} className="head">
            {t(`admin.calendars.weekday.${w}`)}
          </span>
        ))}
        {Array.from({ length: lead }, (_, i) => (
          <span key={`lead-${i}`} />
        ))}
        {Array.from({ length: days }, (_, i) => {
          const date = isoDate(year, month, i + 1);
          const kind = kindOf(props.calendar, date);
          const label = t(`admin.calendars.legend.${kind}`);
          return (
            <button
              key={date}
              type="button"
              className={`day ${kind}${props.selected === date ? ' selected' : ''}`}
              data-date={date}
              data-kind={kind}
              title={t('admin.calendars.dayTitle', { date, kind: label })}
              aria-pressed={props.selected === date}
              onClick={() => props.onSelect(date)}
            >
              {i + 1}
              {(kind === 'holiday' || kind === 'workday') && <small>{label}</small>}
            </button>
          );
        })}
      </div>
      <div className="legend">
        {(['work', 'off', 'holiday', 'workday'] as const).map((k) => (
          <span key={k} className={k}>
            {t(`admin.calendars.legend.${k}`)}
          </span>
        ))}
      </div>
    </div>
  );
}

const INTERVAL = /^(\d{2}:\d{2})\s*[-–~]\s*(\d{2}:\d{2})$/;

function WeeklyHours({ calendar, onSaved }: { calendar: BusinessCalendar; onSaved: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(() =>
    Object.fromEntries(
      WEEKDAYS.map((w) => [w, (calendar.weekly[w] ?? []).map((i) => `${i.start}-${i.end}`).join(', ')]),
    ),
  );
  const [invalid, setInvalid] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (weekly: BusinessCalendar['weekly']) => slaApi.saveCalendar({ ...calendar, weekly }),
    onSuccess: onSaved,
  });
  const submit = () => {
    const bad: string[] = [];
    const weekly: BusinessCalendar['weekly'] = {};
    for (const w of WEEKDAYS) {
      const parts = splitList(text[w] ?? '');
      const intervals = parts.map((p) => INTERVAL.exec(p));
      if (intervals.some((m) => !m)) bad.push(w);
      else if (intervals.length) weekly[w] = intervals.map((m) => ({ start: m![1]!, end: m![2]! }));
    }
    setInvalid(bad);
    if (bad.length === 0) save.mutate(weekly);
  };
  return (
    <form
      className="panel weekly"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>{t('admin.calendars.weekly')}</h3>
      <table>
        <tbody>
          {WEEKDAYS.map((w) => (
            <tr key={w}>
              <th>{t(`admin.calendars.weekday.${w}`)}</th>
              <td>
                <input
                  name={`weekly-${w}`}
                  value={text[w]}
                  placeholder={t('admin.calendars.closed')}
                  aria-invalid={invalid.includes(w)}
                  onChange={(e) => {
                    save.reset();
                    setText((x) => ({ ...x, [w]: e.target.value }));
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t('admin.calendars.hoursHint')}</p>
      {invalid.length > 0 && <p className="error">{t('admin.calendars.hoursInvalid')}</p>}
      <ErrorText error={save.error} />
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? t('admin.routing.common.saving') : t('admin.calendars.saveHours')}
        </button>
        {save.isSuccess && <span className="ok">{t('admin.routing.common.saved')}</span>}
      </div>
    </form>
  );
}

/** The import body from a file's text: iCalendar as it is, JSON as lists of dates. */
function importOf(content: string): HolidayImport | null {
  const text = content.trim();
  if (text.startsWith('BEGIN:VCALENDAR')) return { format: 'ics', content: text };
  try {
    const data = JSON.parse(text) as { holidays?: unknown; workdays?: unknown };
    const holidays = Array.isArray(data.holidays) ? data.holidays.map(String) : [];
    const workdays = Array.isArray(data.workdays)
      ? data.workdays.map((w) => ({ date: typeof w === 'string' ? w : String((w as { date?: unknown }).date) }))
      : [];
    return { format: 'json', holidays, workdays };
  } catch {
    return null;
  }
}

function ImportPanel({ calendar, onSaved }: { calendar: BusinessCalendar; onSaved: () => void }) {
  const { t } = useTranslation();
  const [content, setContent] = useState('');
  const [badJson, setBadJson] = useState(false);
  const [preview, setPreview] = useState<HolidayImportPreview | null>(null);
  const body = () => {
    const b = importOf(content);
    setBadJson(b === null);
    return b;
  };
  const check = useMutation({
    mutationFn: (b: HolidayImport) => slaApi.previewImport(calendar.id, b),
    onSuccess: setPreview,
  });
  const apply = useMutation({
    mutationFn: (b: HolidayImport) => slaApi.importHolidays(calendar.id, b),
    onSuccess: () => {
      setPreview(null);
      onSaved();
    },
  });
  return (
    <section className="panel import">
      <h3>{t('admin.calendars.import.title')}</h3>
      <p className="muted">{t('admin.calendars.import.intro')}</p>
      <label>
        {t('admin.calendars.import.file')}
        <input
          type="file"
          name="importFile"
          accept=".ics,.json,text/calendar,application/json"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file)
              void file.text().then((text) => {
                setContent(text);
                setPreview(null);
              });
          }}
        />
      </label>
      <label>
        {t('admin.calendars.import.content')}
        <textarea
          name="importContent"
          rows={5}
          value={content}
          onChange={(e) => {
            setContent(e.target.value);
            setPreview(null);
          }}
        />
      </label>
      {badJson && <p className="error">{t('admin.calendars.import.badJson')}</p>}
      <div className="row">
        <button
          type="button"
          className="preview"
          disabled={!content.trim() || check.isPending}
          onClick={() => {
            const b = body();
            if (b) check.mutate(b);
          }}
        >
          {check.isPending ? t('admin.calendars.import.previewing') : t('admin.calendars.import.preview')}
        </button>
        <button
          type="button"
          className="primary apply"
          disabled={!preview || apply.isPending}
          onClick={() => {
            const b = body();
            if (b) apply.mutate(b);
          }}
        >
          {apply.isPending ? t('admin.calendars.import.applying') : t('admin.calendars.import.apply')}
        </button>
        {apply.isSuccess && !preview && <span className="ok">{t('admin.calendars.import.done')}</span>}
      </div>
      <ErrorText error={check.error ?? apply.error} />
      {preview && (
        <div className="import-preview">
          <p>{t('admin.calendars.import.years', { years: preview.years.join(', ') })}</p>
          {preview.addedHolidays.length + preview.addedWorkdays.length === 0 ? (
            <p>{t('admin.calendars.import.nothing')}</p>
          ) : (
            <>
              <p className="added-holidays">
                {t('admin.calendars.import.addedHolidays', { dates: preview.addedHolidays.join(', ') || '—' })}
              </p>
              <p className="added-workdays">
                {t('admin.calendars.import.addedWorkdays', { dates: preview.addedWorkdays.join(', ') || '—' })}
              </p>
            </>
          )}
        </div>
      )}
    </section>
  );
}
