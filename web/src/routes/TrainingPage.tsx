import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { TRAINING_TIERS, type TrainingTier } from '../../../src/core/quality/training';
import { trainingApi, type TrainingSession } from '../api/training';
import { ErrorText } from '../components/ErrorText';
import { formatDateTime, fromZonedInput } from '../i18n';
import './training.css';

const PAGE = 10;

/** Training admin (supervisors): courses, sessions with attendance and exam scores, people's tiers. */
export default function TrainingPage() {
  const { t } = useTranslation();
  return (
    <div className="training-page">
      <h1>{t('training.title')}</h1>
      <p className="muted intro">{t('training.intro')}</p>
      <div className="board-grid">
        <Courses />
        <People />
      </div>
      <Sessions />
    </div>
  );
}

function useCertName() {
  const { t } = useTranslation();
  return (code: string | null) =>
    code ? t(`training.certificationNames.${code}`, { defaultValue: code }) : t('training.noCertification');
}

function Courses() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const certName = useCertName();
  const courses = useQuery({ queryKey: ['training', 'courses'], queryFn: trainingApi.courses });
  const [form, setForm] = useState({ code: '', title: '', certificationCode: '', passScore: 80, validityMonths: 12 });
  const add = useMutation({
    mutationFn: () => trainingApi.createCourse({ ...form, certificationCode: form.certificationCode.trim() || null }),
    onSuccess: () => {
      setForm({ code: '', title: '', certificationCode: '', passScore: 80, validityMonths: 12 });
      void client.invalidateQueries({ queryKey: ['training'] });
    },
  });
  return (
    <section className="panel courses">
      <h2>{t('training.courses')}</h2>
      <ErrorText error={courses.error} />
      <table>
        <thead>
          <tr>
            <th>{t('training.code')}</th>
            <th>{t('training.courseTitle')}</th>
            <th>{t('training.certification')}</th>
            <th className="num">{t('training.passScore')}</th>
            <th className="num">{t('training.validity')}</th>
          </tr>
        </thead>
        <tbody>
          {courses.data?.items.map((c) => (
            <tr key={c.id} data-course={c.code}>
              <td>
                <code>{c.code}</code>
              </td>
              <td>{c.title}</td>
              <td>{certName(c.certificationCode)}</td>
              <td className="num">{c.passScore}</td>
              <td className="num">{c.validityMonths}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {courses.data?.items.length === 0 && <p className="empty">{t('training.empty')}</p>}
      <form
        className="inline-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <input
          aria-label={t('training.code')}
          placeholder={t('training.code')}
          value={form.code}
          onChange={(e) => setForm({ ...form, code: e.target.value })}
        />
        <input
          aria-label={t('training.courseTitle')}
          placeholder={t('training.courseTitle')}
          value={form.title}
          onChange={(e) => setForm({ ...form, title: e.target.value })}
        />
        <input
          aria-label={t('training.certification')}
          placeholder="complaint_specialist"
          value={form.certificationCode}
          onChange={(e) => setForm({ ...form, certificationCode: e.target.value })}
        />
        <input
          type="number"
          min={0}
          max={100}
          aria-label={t('training.passScore')}
          value={form.passScore}
          onChange={(e) => setForm({ ...form, passScore: Number(e.target.value) })}
        />
        <input
          type="number"
          min={1}
          max={120}
          aria-label={t('training.validity')}
          value={form.validityMonths}
          onChange={(e) => setForm({ ...form, validityMonths: Number(e.target.value) })}
        />
        <button type="submit" disabled={add.isPending || !form.code || !form.title}>
          {t('training.addCourse')}
        </button>
      </form>
      <ErrorText error={add.error} />
    </section>
  );
}

function People() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const people = useQuery({ queryKey: ['training', 'people'], queryFn: trainingApi.people });
  const tier = useMutation({
    mutationFn: (v: { id: string; tier: TrainingTier }) => trainingApi.setTier(v.id, v.tier),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['training', 'people'] }),
  });
  return (
    <section className="panel training-people">
      <h2>{t('training.people')}</h2>
      <ErrorText error={people.error ?? tier.error} />
      <table>
        <tbody>
          {people.data?.items.map((p) => (
            <tr key={p.id} data-person={p.id}>
              <td>{p.displayName}</td>
              <td>
                <select
                  aria-label={t('training.tier')}
                  value={p.trainingTier}
                  disabled={tier.isPending}
                  onChange={(e) => tier.mutate({ id: p.id, tier: e.target.value as TrainingTier })}
                >
                  {TRAINING_TIERS.map((x) => (
                    <option key={x} value={x}>
                      {t(`training.tiers.${x}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <Link to={`/training/people/${p.id}`}>{t('training.viewRecord')}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Sessions() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [offset, setOffset] = useState(0);
  const sessions = useQuery({
    queryKey: ['training', 'sessions', offset],
    queryFn: () => trainingApi.sessions(offset, PAGE),
  });
  const courses = useQuery({ queryKey: ['training', 'courses'], queryFn: trainingApi.courses });
  const [courseId, setCourseId] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [location, setLocation] = useState('');
  const [trainer, setTrainer] = useState('');
  const add = useMutation({
    mutationFn: () =>
      trainingApi.createSession({ courseId, startsAt: fromZonedInput(startsAt) ?? '', location, trainer }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['training', 'sessions'] }),
  });
  return (
    <section className="panel sessions">
      <h2>{t('training.sessions')}</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <select aria-label={t('training.course')} value={courseId} onChange={(e) => setCourseId(e.target.value)}>
          <option value="">{t('training.chooseCourse')}</option>
          {courses.data?.items.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
        <input
          type="datetime-local"
          aria-label={t('training.startsAt')}
          value={startsAt}
          onChange={(e) => setStartsAt(e.target.value)}
        />
        <input
          aria-label={t('training.location')}
          placeholder={t('training.location')}
          value={location}
          onChange={(e) => setLocation(e.target.value)}
        />
        <input
          aria-label={t('training.trainer')}
          placeholder={t('training.trainer')}
          value={trainer}
          onChange={(e) => setTrainer(e.target.value)}
        />
        <button type="submit" disabled={!courseId || !startsAt || add.isPending}>
          {t('training.addSession')}
        </button>
      </form>
      <ErrorText error={sessions.error ?? add.error} />
      {sessions.data?.items.map((s) => (
        <SessionCard key={s.id} session={s} when={formatDateTime(s.startsAt, i18n.language, true)} />
      ))}
      {sessions.data?.items.length === 0 && <p className="empty">{t('training.empty')}</p>}
      <div className="pager">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          {t('training.prev')}
        </button>
        <button type="button" disabled={!sessions.data?.hasMore} onClick={() => setOffset(offset + PAGE)}>
          {t('training.next')}
        </button>
      </div>
    </section>
  );
}

function SessionCard({ session, when }: { session: TrainingSession; when: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const people = useQuery({ queryKey: ['training', 'people'], queryFn: trainingApi.people });
  const [staffId, setStaffId] = useState('');
  const [attended, setAttended] = useState(true);
  const [score, setScore] = useState('');
  const record = useMutation({
    mutationFn: () =>
      trainingApi.record(session.id, { staffId, attended, examScore: score === '' ? null : Number(score) }),
    onSuccess: () => {
      setStaffId('');
      setScore('');
      void client.invalidateQueries({ queryKey: ['training'] });
    },
  });
  const outcome = (passed: boolean | null) =>
    passed === null ? t('training.noExam') : passed ? t('training.passed') : t('training.failed');
  return (
    <article className="training-session" data-session={session.id}>
      <h3>
        {session.course.title} <span className="muted">{when}</span>{' '}
        <span className="muted">
          {session.location} {session.trainer}
        </span>
      </h3>
      <table>
        <tbody>
          {session.records.map((r) => (
            <tr key={r.staffId} data-person={r.staffId}>
              <td>{r.displayName}</td>
              <td>{r.attended ? t('training.attended') : t('training.absent')}</td>
              <td className="num">{r.examScore ?? '—'}</td>
              <td className={r.passed === false ? 'late' : ''}>{outcome(r.passed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          record.mutate();
        }}
      >
        <select aria-label={t('training.person')} value={staffId} onChange={(e) => setStaffId(e.target.value)}>
          <option value="">{t('training.choosePerson')}</option>
          {people.data?.items.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
        </select>
        <label className="inline">
          <input type="checkbox" checked={attended} onChange={(e) => setAttended(e.target.checked)} />
          {t('training.attended')}
        </label>
        <input
          type="number"
          min={0}
          max={100}
          aria-label={t('training.score')}
          placeholder={t('training.score')}
          value={score}
          onChange={(e) => setScore(e.target.value)}
        />
        <button type="submit" disabled={!staffId || record.isPending}>
          {t('training.record')}
        </button>
      </form>
      <ErrorText error={record.error} />
      {record.data?.certification && (
        <p className="saved" role="status">
          {t('training.granted', {
            code: t(`training.certificationNames.${record.data.certification.code}`, {
              defaultValue: record.data.certification.code,
            }),
            date: formatDateTime(record.data.certification.expiresAt, i18n.language),
          })}
        </p>
      )}
    </article>
  );
}
