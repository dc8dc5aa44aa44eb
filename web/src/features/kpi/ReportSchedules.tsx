import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { kpiApi, type NewReportSchedule, type ReportSchedule } from '../../api/kpi';
import { ErrorText } from '../../components/ErrorText';
import { formatDateTime } from '../../i18n';
import { useListName } from './reportLists';
import './schedules.css';

// Scheduled reports (issue 16): "Schedule this report" on the KPI dashboard opens a small form for
// the figures on screen (granularity and team), "Schedule this list" on the queue's drill-down the
// same form for the ticket list behind a figure; "My scheduled reports" lists the caller's
// schedules with their last and next send, last error, "send now", "stop" / "resume", "edit" (the
// same form, filled in) and "delete" (after asking).

const KEY = ['kpi', 'report-schedules'];
const MINE_ANCHOR = 'my-report-schedules';
const FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;

/** The button and its form for one export: the dashboard's figures or a ticket list. */
export function ScheduleReportButton(props: {
  /** What the schedule sends; null: this screen's list cannot be scheduled (`unavailable` says why). */
  what: NewReportSchedule['what'] | null;
  unavailable?: string;
  /** The schedule's name when the form's is left empty (says which report or list it is). */
  defaultName: string;
  /** The installation's time zone of the send time; read from the schedules list when not given. */
  timeZone?: string;
}) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const mine = useQuery({ queryKey: KEY, queryFn: kpiApi.schedules, enabled: open && !props.timeZone });
  const timeZone = props.timeZone ?? mine.data?.timeZone ?? '…';
  const isList = props.what?.kind !== 'dashboard';
  const create = useMutation({
    mutationFn: (fields: ScheduleFields & { what: NewReportSchedule['what'] }) =>
      kpiApi.createSchedule({ ...fields, lang: i18n.language.startsWith('en') ? 'en' : 'zh' }),
    onSuccess: async (s) => {
      setSaved(s.name);
      setOpen(false);
      await client.invalidateQueries({ queryKey: KEY });
    },
  });
  const what = props.what;
  return (
    <span className="schedule-report">
      <button
        type="button"
        data-schedule-open
        disabled={!what}
        title={what ? undefined : props.unavailable}
        aria-expanded={open}
        onClick={() => (setOpen(!open), setSaved(null))}
      >
        {t(isList ? 'kpi.schedule.openList' : 'kpi.schedule.open')}
      </button>
      {saved && (
        <span className="muted" role="status">
          {t('kpi.schedule.saved', { name: saved })}
          {isList && (
            <>
              {' '}
              <Link to={`/kpi#${MINE_ANCHOR}`}>{t('kpi.schedule.seeMine')}</Link>
            </>
          )}
        </span>
      )}
      {open && what && (
        <ScheduleForm
          title={t(isList ? 'kpi.schedule.titleList' : 'kpi.schedule.title')}
          timeZone={timeZone}
          defaultName={props.defaultName}
          save={create}
          onSave={(fields) => create.mutate({ ...fields, what })}
          onCancel={() => setOpen(false)}
        />
      )}
    </span>
  );
}

/** What the schedule form sets, when making a schedule and when changing one. */
type ScheduleFields = Pick<NewReportSchedule, 'name' | 'frequency' | 'sendTime' | 'format' | 'recipients'>;

/** The schedule form: empty for a new schedule, filled in with the schedule (`initial`) when changing one. */
function ScheduleForm(props: {
  title: string;
  timeZone: string;
  /** The name saved when the form's is left empty. */
  defaultName: string;
  initial?: ReportSchedule;
  /** The save in progress, or refused (its error shows in the form). */
  save: { error: unknown; isPending: boolean; reset(): void };
  onSave: (fields: ScheduleFields) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { initial, save } = props;
  const [name, setName] = useState(initial?.name ?? '');
  const [frequency, setFrequency] = useState<(typeof FREQUENCIES)[number]>(initial?.frequency ?? 'weekly');
  const [sendTime, setSendTime] = useState(initial?.sendTime ?? '08:00');
  const [format, setFormat] = useState<'csv' | 'xlsx'>(initial?.format ?? 'xlsx');
  const [recipients, setRecipients] = useState(initial?.recipients.join('\n') ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSave({
      name: name.trim() || props.defaultName,
      frequency,
      sendTime,
      format,
      recipients: recipients
        .split(/[\s,;，；]+/)
        .map((r) => r.trim())
        .filter(Boolean),
    });
  };
  return (
    <form className="schedule-form" onSubmit={submit} aria-label={props.title}>
      <h2>{props.title}</h2>
      <label className="wide">
        {t('kpi.schedule.name')}
        <input
          name="name"
          value={name}
          maxLength={120}
          placeholder={props.defaultName}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="wide">
        {t('kpi.schedule.frequency')}
        <select name="frequency" value={frequency} onChange={(e) => setFrequency(e.target.value as typeof frequency)}>
          {FREQUENCIES.map((f) => (
            <option key={f} value={f}>
              {t(`kpi.schedule.frequencies.${f}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('kpi.schedule.sendTime', { zone: props.timeZone })}
        <input name="sendTime" type="time" required value={sendTime} onChange={(e) => setSendTime(e.target.value)} />
      </label>
      <label>
        {t('kpi.schedule.format')}
        <select name="format" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
          <option value="xlsx">Excel (XLSX)</option>
          <option value="csv">CSV</option>
        </select>
      </label>
      <label className="wide">
        {t('kpi.schedule.recipients')}
        <textarea
          name="recipients"
          rows={3}
          required
          value={recipients}
          onChange={(e) => (save.reset(), setRecipients(e.target.value))}
        />
      </label>
      <ErrorText error={save.error} fields={{ name: t('kpi.schedule.name') }} />
      <span className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('kpi.schedule.save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('kpi.schedule.cancel')}
        </button>
      </span>
    </form>
  );
}

/** The caller's schedules: what, when, to whom, last and next send, last error; send now, stop, edit, delete. */
export function MyReportSchedules(props: { timeZone: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const list = useQuery({ queryKey: KEY, queryFn: kpiApi.schedules });
  // Opened from "see my scheduled reports": the list is far down the dashboard, so go to it.
  const { hash } = useLocation();
  const section = useRef<HTMLElement>(null);
  const loaded = list.data !== undefined;
  useEffect(() => {
    if (loaded && hash === `#${MINE_ANCHOR}`) section.current?.scrollIntoView();
  }, [loaded, hash]);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: KEY });
  const sendNow = useMutation({
    mutationFn: (id: string) => kpiApi.sendScheduleNow(id),
    onSuccess: async (r) => {
      setNotice(t('kpi.schedule.sentNow', r));
      await refresh();
    },
  });
  const stop = useMutation({ mutationFn: (id: string) => kpiApi.deactivateSchedule(id), onSuccess: refresh });
  const resume = useMutation({
    mutationFn: (id: string) => kpiApi.updateSchedule(id, { active: true }),
    onSuccess: refresh,
  });
  // One schedule at a time is being changed (the creating form, filled in) or asked about deleting.
  const [editing, setEditing] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: ({ id, fields }: { id: string; fields: ScheduleFields }) => kpiApi.updateSchedule(id, fields),
    onSuccess: async () => {
      setEditing(null);
      await refresh();
    },
  });
  const [deleting, setDeleting] = useState<string | null>(null);
  const remove = useMutation({ mutationFn: (id: string) => kpiApi.deleteSchedule(id), onSuccess: refresh });
  const when = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language, true) : t('kpi.schedule.never'));
  const items = list.data?.items ?? [];
  const listName = useListName({ agents: items.some((s) => s.what.agentId) });
  const what = (s: ReportSchedule) =>
    s.what.kind === 'dashboard'
      ? `${t('kpi.schedule.whatDashboard')} · ${t(`kpi.granularities.${s.what.granularity}`)}`
      : listName(s.what);
  return (
    <section ref={section} id={MINE_ANCHOR} className="panel wide report-schedules" aria-label={t('kpi.schedule.mine')}>
      <h2>{t('kpi.schedule.mine')}</h2>
      <ErrorText error={list.error ?? sendNow.error ?? stop.error ?? resume.error ?? remove.error} />
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      {list.data && items.length === 0 && <p className="muted">{t('kpi.schedule.none')}</p>}
      {items.length > 0 && (
        <table className="kpi-table">
          <thead>
            <tr>
              <th>{t('kpi.schedule.name')}</th>
              <th>{t('kpi.schedule.what')}</th>
              <th>{t('kpi.schedule.when')}</th>
              <th>{t('kpi.schedule.to')}</th>
              <th>{t('kpi.schedule.lastRun')}</th>
              <th>{t('kpi.schedule.nextRun')}</th>
              <th>{t('kpi.schedule.lastError')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <Fragment key={s.id}>
                <tr data-schedule={s.id} className={s.active ? undefined : 'inactive'}>
                  <td>{s.name}</td>
                  <td>
                    {what(s)} · {s.format.toUpperCase()}
                  </td>
                  <td>
                    {t(`kpi.schedule.frequencies.${s.frequency}`)} {s.sendTime}
                  </td>
                  <td title={s.recipients.join(', ')}>
                    {t('kpi.schedule.recipientCount', { count: s.recipients.length })}
                  </td>
                  <td>{when(s.lastRunAt)}</td>
                  <td>{s.active ? when(s.nextRunAt) : t('kpi.schedule.inactive')}</td>
                  <td className={s.lastError ? 'error' : undefined}>{s.lastError ?? t('kpi.schedule.never')}</td>
                  <td className="actions">
                    {deleting === s.id ? (
                      <span
                        className="confirm"
                        role="group"
                        aria-label={t('kpi.schedule.deleteConfirm', { name: s.name })}
                      >
                        {t('kpi.schedule.deleteConfirm', { name: s.name })}{' '}
                        <button
                          type="button"
                          className="primary"
                          disabled={remove.isPending}
                          onClick={() => (setDeleting(null), remove.mutate(s.id))}
                        >
                          {t('kpi.schedule.delete')}
                        </button>
                        <button type="button" onClick={() => setDeleting(null)}>
                          {t('kpi.schedule.cancel')}
                        </button>
                      </span>
                    ) : (
                      <>
                        <button
                          type="button"
                          data-send-now
                          disabled={sendNow.isPending}
                          onClick={() => sendNow.mutate(s.id)}
                        >
                          {t('kpi.schedule.sendNow')}
                        </button>
                        {s.active ? (
                          <button
                            type="button"
                            data-deactivate
                            disabled={stop.isPending}
                            onClick={() => stop.mutate(s.id)}
                          >
                            {t('kpi.schedule.deactivate')}
                          </button>
                        ) : (
                          <button
                            type="button"
                            data-reactivate
                            disabled={resume.isPending}
                            onClick={() => resume.mutate(s.id)}
                          >
                            {t('kpi.schedule.reactivate')}
                          </button>
                        )}
                        <button
                          type="button"
                          data-edit
                          aria-expanded={editing === s.id}
                          onClick={() => (change.reset(), setEditing(editing === s.id ? null : s.id))}
                        >
                          {t('kpi.schedule.edit')}
                        </button>
                        <button type="button" data-delete onClick={() => setDeleting(s.id)}>
                          {t('kpi.schedule.delete')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
                {editing === s.id && (
                  <tr className="editing">
                    <td colSpan={8}>
                      <ScheduleForm
                        title={t('kpi.schedule.editTitle')}
                        timeZone={props.timeZone}
                        defaultName={s.name}
                        initial={s}
                        save={change}
                        onSave={(fields) => change.mutate({ id: s.id, fields })}
                        onCancel={() => setEditing(null)}
                      />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
