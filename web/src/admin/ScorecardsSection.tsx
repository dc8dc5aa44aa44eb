import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ITEM_KINDS,
  MAX_BONUS_POINTS,
  scorecardProblems,
  type ItemKind,
  type ScorecardDefinition,
  type ScorecardItem,
} from '../../../src/core/quality/scorecard';
import { qaApi, type QaRemedialSettings, type QaScorecard } from '../api/qa';
import { trainingApi } from '../api/training';
import { ErrorText } from '../components/ErrorText';
import { labelOf } from '../features/quality/ScoringForm';
import { formatDateTime } from '../i18n';
import './admin-directory.css';
import './admin-quality.css';

/**
 * QA scorecards (质检评分表): every version, newest first. A published version is shown read-only
 * (it never changes); an administrator starts the next version as a draft from any version, edits
 * its sections and items (weights, critical thresholds, bonus points) and publishes it.
 */
export default function ScorecardsSection() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['admin', 'scorecards'], queryFn: qaApi.scorecards });
  const [chosen, setChosen] = useState<string | null>(null);
  const versions = list.data?.items ?? [];
  const draft = versions.find((v) => v.status === 'draft');
  const selected = versions.find((v) => v.id === chosen) ?? draft ?? versions.find((v) => v.inUse) ?? versions[0];
  const start = useMutation({
    mutationFn: (from: QaScorecard) => qaApi.createDraft({ name: from.name, definition: from.definition }),
    onSuccess: (row) => {
      setChosen(row.id);
      void client.invalidateQueries({ queryKey: ['admin', 'scorecards'] });
    },
  });

  return (
    <div className="dir-section scorecards-section">
      <h2>{t('qaAdmin.scorecards.title')}</h2>
      <p className="muted intro">{t('qaAdmin.scorecards.intro', { mark: list.data?.passMark ?? 80 })}</p>
      <ErrorText error={list.error} />
      <div className="qa-admin-grid">
        <section className="panel">
          <table className="scorecard-versions">
            <thead>
              <tr>
                <th>{t('qaAdmin.scorecards.version')}</th>
                <th>{t('qaAdmin.scorecards.name')}</th>
                <th>{t('qaAdmin.scorecards.status')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr
                  key={v.id}
                  data-version={v.version}
                  className={v.id === selected?.id ? 'selected' : undefined}
                  onClick={() => setChosen(v.id)}
                >
                  <td>
                    <button type="button" className="link" onClick={() => setChosen(v.id)}>
                      v{v.version}
                    </button>
                  </td>
                  <td>{v.name}</td>
                  <td>
                    <StatusBadge card={v} />
                    {v.publishedAt && (
                      <div className="muted small">{formatDateTime(v.publishedAt, i18n.language, true)}</div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.isPending && <p className="loading">{t('list.loading')}</p>}
          <RemedialPanel />
        </section>
        <section className="panel">
          {selected && selected.status === 'draft' && <DraftEditor key={selected.id} card={selected} />}
          {selected && selected.status === 'published' && (
            <>
              <h3>
                v{selected.version} · {selected.name} <StatusBadge card={selected} />
              </h3>
              <p className="muted">{t('qaAdmin.scorecards.immutable')}</p>
              <div className="dir-actions">
                <button
                  type="button"
                  className="primary"
                  data-action="new-draft"
                  disabled={start.isPending || draft !== undefined}
                  title={draft ? t('qaAdmin.scorecards.draftExists', { version: draft.version }) : undefined}
                  onClick={() => start.mutate(selected)}
                >
                  {t('qaAdmin.scorecards.newDraft', { version: selected.version })}
                </button>
                {draft && (
                  <span className="muted">{t('qaAdmin.scorecards.draftExists', { version: draft.version })}</span>
                )}
              </div>
              <ErrorText error={start.error} />
              <DefinitionTable definition={selected.definition} />
            </>
          )}
        </section>
      </div>
    </div>
  );
}

function StatusBadge({ card }: { card: QaScorecard }) {
  const { t } = useTranslation();
  if (card.status === 'draft') return <span className="dir-badge warn">{t('qaAdmin.scorecards.draft')}</span>;
  return card.inUse ? (
    <span className="dir-badge on">{t('qaAdmin.scorecards.inUse')}</span>
  ) : (
    <span className="dir-badge">{t('qaAdmin.scorecards.published')}</span>
  );
}

/** Σ weights over normal and critical items: the share each item has in the score. */
const weightTotal = (def: ScorecardDefinition) =>
  def.sections.flatMap((s) => s.items).reduce((sum, i) => sum + (i.kind === 'bonus' ? 0 : i.weight), 0);
const share = (item: ScorecardItem, total: number) =>
  item.kind === 'bonus' || total === 0 ? null : Math.round((item.weight / total) * 1000) / 10;

function KindCell({ item }: { item: ScorecardItem }) {
  const { t } = useTranslation();
  return (
    <span className={`qa-kind kind-${item.kind}`}>
      {t(`qaAdmin.kind.${item.kind}`)}
      {item.kind === 'critical' && ` < ${item.threshold ?? '?'}`}
      {item.kind === 'bonus' && ` +${item.bonusPoints ?? '?'}`}
    </span>
  );
}

function DefinitionTable({ definition }: { definition: ScorecardDefinition }) {
  const { t, i18n } = useTranslation();
  const total = weightTotal(definition);
  return (
    <table className="scorecard-items">
      <thead>
        <tr>
          <th>{t('qaAdmin.scorecards.item')}</th>
          <th>{t('qaAdmin.scorecards.kind')}</th>
          <th className="num">{t('qaAdmin.scorecards.weight')}</th>
          <th className="num">{t('qaAdmin.scorecards.share')}</th>
          <th className="num">{t('qaAdmin.scorecards.maxPoints')}</th>
        </tr>
      </thead>
      {definition.sections.map((s) => (
        <tbody key={s.id}>
          <tr className="section-row">
            <th colSpan={5}>{labelOf(s.label, i18n.language)}</th>
          </tr>
          {s.items.map((i) => (
            <tr key={i.id} data-item={i.id}>
              <td>
                {labelOf(i.label, i18n.language)} <code className="muted">{i.id}</code>
              </td>
              <td>
                <KindCell item={i} />
              </td>
              <td className="num">{i.kind === 'bonus' ? '—' : i.weight}</td>
              <td className="num">{share(i, total) === null ? '—' : `${share(i, total)} %`}</td>
              <td className="num">{i.maxPoints}</td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

const num = (v: string): number => (v.trim() === '' ? NaN : Number(v));
/** An optional number: an empty field leaves it unset (the problems list then names the item). */
const optionalNum = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v));

function freshId(def: ScorecardDefinition, prefix: string): string {
  const taken = new Set([...def.sections.map((s) => s.id), ...def.sections.flatMap((s) => s.items.map((i) => i.id))]);
  for (let n = 1; ; n++) if (!taken.has(`${prefix}_${n}`)) return `${prefix}_${n}`;
}

/** The draft version: name, sections and items, with the problems that would stop publishing. */
function DraftEditor({ card }: { card: QaScorecard }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState(card.name);
  const [def, setDef] = useState<ScorecardDefinition>(() => structuredClone(card.definition));
  const [dirty, setDirty] = useState(false);
  const edit = (next: ScorecardDefinition) => {
    setDef(next);
    setDirty(true);
  };
  const refresh = () => client.invalidateQueries({ queryKey: ['admin', 'scorecards'] });
  const save = useMutation({
    mutationFn: () => qaApi.updateDraft(card.id, { name, definition: def }),
    onSuccess: () => {
      setDirty(false);
      void refresh();
    },
  });
  const publish = useMutation({
    mutationFn: async () => {
      if (dirty) await qaApi.updateDraft(card.id, { name, definition: def });
      return qaApi.publish(card.id);
    },
    onSuccess: () => void refresh(),
  });
  const problems = scorecardProblems(def);
  const total = weightTotal(def);
  const setSection = (si: number, patch: Partial<ScorecardDefinition['sections'][number]>) =>
    edit({ sections: def.sections.map((s, k) => (k === si ? { ...s, ...patch } : s)) });
  const setItem = (si: number, ii: number, patch: Partial<ScorecardItem>) =>
    setSection(si, { items: def.sections[si]!.items.map((it, k) => (k === ii ? { ...it, ...patch } : it)) });

  return (
    <form
      className="scorecard-editor"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3>
        v{card.version} <span className="dir-badge warn">{t('qaAdmin.scorecards.draft')}</span>
      </h3>
      <label>
        {t('qaAdmin.scorecards.name')}
        <input
          name="name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setDirty(true);
          }}
        />
      </label>
      {def.sections.map((s, si) => (
        <fieldset key={si} className="sc-section" data-section={s.id}>
          <legend>
            <input
              aria-label={t('qaAdmin.scorecards.sectionZh')}
              name="section-zh"
              value={s.label.zh}
              onChange={(e) => setSection(si, { label: { ...s.label, zh: e.target.value } })}
            />
            <input
              aria-label={t('qaAdmin.scorecards.sectionEn')}
              name="section-en"
              value={s.label.en}
              onChange={(e) => setSection(si, { label: { ...s.label, en: e.target.value } })}
            />
            <code className="muted">{s.id}</code>
            <button
              type="button"
              className="link danger"
              onClick={() => edit({ sections: def.sections.filter((_, k) => k !== si) })}
            >
              {t('qaAdmin.scorecards.removeSection')}
            </button>
          </legend>
          <div className="sc-item sc-head muted">
            <span>{t('qaAdmin.scorecards.id')}</span>
            <span>{t('qaAdmin.scorecards.labelZh')}</span>
            <span>{t('qaAdmin.scorecards.labelEn')}</span>
            <span>{t('qaAdmin.scorecards.kind')}</span>
            <span>{t('qaAdmin.scorecards.weight')}</span>
            <span>{t('qaAdmin.scorecards.maxPoints')}</span>
            <span>{t('qaAdmin.scorecards.limit')}</span>
            <span>{t('qaAdmin.scorecards.share')}</span>
            <span />
          </div>
          {s.items.map((item, ii) => (
            <div key={ii} className={`sc-item kind-${item.kind}`} data-item-row={item.id}>
              <input
                name="item-id"
                aria-label={t('qaAdmin.scorecards.id')}
                value={item.id}
                onChange={(e) => setItem(si, ii, { id: e.target.value })}
              />
              <input
                name="item-zh"
                aria-label={t('qaAdmin.scorecards.labelZh')}
                value={item.label.zh}
                onChange={(e) => setItem(si, ii, { label: { ...item.label, zh: e.target.value } })}
              />
              <input
                name="item-en"
                aria-label={t('qaAdmin.scorecards.labelEn')}
                value={item.label.en}
                onChange={(e) => setItem(si, ii, { label: { ...item.label, en: e.target.value } })}
              />
              <select
                name="item-kind"
                aria-label={t('qaAdmin.scorecards.kind')}
                value={item.kind}
                onChange={(e) => {
                  const kind = e.target.value as ItemKind;
                  setItem(si, ii, {
                    kind,
                    threshold: kind === 'critical' ? (item.threshold ?? 100) : undefined,
                    bonusPoints: kind === 'bonus' ? (item.bonusPoints ?? 5) : undefined,
                  });
                }}
              >
                {ITEM_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`qaAdmin.kind.${k}`)}
                  </option>
                ))}
              </select>
              <input
                name="item-weight"
                type="number"
                min={0}
                max={100}
                aria-label={t('qaAdmin.scorecards.weight')}
                disabled={item.kind === 'bonus'}
                value={Number.isNaN(item.weight) ? '' : item.weight}
                onChange={(e) => setItem(si, ii, { weight: num(e.target.value) })}
              />
              <input
                name="item-max"
                type="number"
                min={1}
                max={100}
                aria-label={t('qaAdmin.scorecards.maxPoints')}
                value={Number.isNaN(item.maxPoints) ? '' : item.maxPoints}
                onChange={(e) => setItem(si, ii, { maxPoints: num(e.target.value) })}
              />
              {item.kind === 'critical' ? (
                <input
                  name="item-threshold"
                  type="number"
                  min={1}
                  max={100}
                  aria-label={t('qaAdmin.scorecards.threshold')}
                  title={t('qaAdmin.scorecards.threshold')}
                  value={item.threshold === undefined || Number.isNaN(item.threshold) ? '' : item.threshold}
                  onChange={(e) => setItem(si, ii, { threshold: optionalNum(e.target.value) })}
                />
              ) : item.kind === 'bonus' ? (
                <input
                  name="item-bonus"
                  type="number"
                  min={1}
                  max={MAX_BONUS_POINTS}
                  aria-label={t('qaAdmin.scorecards.bonusPoints')}
                  title={t('qaAdmin.scorecards.bonusPoints')}
                  value={item.bonusPoints === undefined || Number.isNaN(item.bonusPoints) ? '' : item.bonusPoints}
                  onChange={(e) => setItem(si, ii, { bonusPoints: optionalNum(e.target.value) })}
                />
              ) : (
                <span className="muted">—</span>
              )}
              <span className="num muted">{share(item, total) === null ? '—' : `${share(item, total)} %`}</span>
              <button
                type="button"
                className="link danger"
                aria-label={t('qaAdmin.scorecards.removeItem')}
                title={t('qaAdmin.scorecards.removeItem')}
                onClick={() => setSection(si, { items: s.items.filter((_, k) => k !== ii) })}
              >
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            data-action="add-item"
            onClick={() =>
              setSection(si, {
                items: [
                  ...s.items,
                  { id: freshId(def, 'item'), label: { zh: '', en: '' }, kind: 'normal', weight: 10, maxPoints: 10 },
                ],
              })
            }
          >
            {t('qaAdmin.scorecards.addItem')}
          </button>
        </fieldset>
      ))}
      <div className="dir-actions">
        <button
          type="button"
          data-action="add-section"
          onClick={() =>
            edit({
              sections: [...def.sections, { id: freshId(def, 'section'), label: { zh: '', en: '' }, items: [] }],
            })
          }
        >
          {t('qaAdmin.scorecards.addSection')}
        </button>
      </div>
      {problems.length > 0 && (
        <div className="sc-problems" role="status">
          <strong>{t('qaAdmin.scorecards.problems')}</strong>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <ErrorText error={save.error ?? publish.error} />
      <div className="dir-actions">
        <button type="submit" data-action="save-draft" disabled={save.isPending || !dirty}>
          {save.isPending ? t('admin.common.saving') : t('admin.common.save')}
        </button>
        {!dirty && save.isSuccess && <span className="ok">{t('admin.common.saved')}</span>}
        <button
          type="button"
          className="primary"
          data-action="publish"
          disabled={publish.isPending || problems.length > 0}
          onClick={() => publish.mutate()}
        >
          {t('qaAdmin.scorecards.publish')}
        </button>
        <span className="muted">{t('qaAdmin.scorecards.publishHint')}</span>
      </div>
    </form>
  );
}

/** Repeated failed reviews → a training course: how many, within how many days, which course. */
function RemedialPanel() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const current = useQuery({ queryKey: ['admin', 'qa-remedial'], queryFn: qaApi.remedial });
  const courses = useQuery({ queryKey: ['admin', 'training-courses'], queryFn: trainingApi.courses });
  if (!current.data) return <ErrorText error={current.error} />;
  return (
    <RemedialForm
      initial={current.data}
      courses={(courses.data?.items ?? []).filter((c) => c.active).map((c) => ({ code: c.code, title: c.title }))}
      onSaved={() => void client.invalidateQueries({ queryKey: ['admin', 'qa-remedial'] })}
      label={t('qaAdmin.remedial.title')}
    />
  );
}

function RemedialForm({
  initial,
  courses,
  onSaved,
  label,
}: {
  initial: QaRemedialSettings;
  courses: { code: string; title: string }[];
  onSaved: () => void;
  label: string;
}) {
  const { t } = useTranslation();
  const [failures, setFailures] = useState(String(initial.failures));
  const [windowDays, setWindowDays] = useState(String(initial.windowDays));
  const [courseCode, setCourseCode] = useState(initial.courseCode ?? '');
  const save = useMutation({
    mutationFn: () =>
      qaApi.saveRemedial({
        failures: Number(failures),
        windowDays: Number(windowDays),
        courseCode: courseCode === '' ? null : courseCode,
      }),
    onSuccess: onSaved,
  });
  return (
    <form
      className="remedial-form"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3>{label}</h3>
      <p className="muted small">{t('qaAdmin.remedial.intro')}</p>
      <div className="remedial-row">
        <label>
          {t('qaAdmin.remedial.failures')}
          <input
            name="failures"
            type="number"
            min={1}
            max={20}
            value={failures}
            onChange={(e) => setFailures(e.target.value)}
          />
        </label>
        <label>
          {t('qaAdmin.remedial.windowDays')}
          <input
            name="windowDays"
            type="number"
            min={1}
            max={365}
            value={windowDays}
            onChange={(e) => setWindowDays(e.target.value)}
          />
        </label>
      </div>
      <label>
        {t('qaAdmin.remedial.course')}
        <select name="courseCode" value={courseCode} onChange={(e) => setCourseCode(e.target.value)}>
          <option value="">{t('qaAdmin.remedial.noCourse')}</option>
          {courses.map((c) => (
            <option key={c.code} value={c.code}>
              {c.title} ({c.code})
            </option>
          ))}
        </select>
      </label>
      <ErrorText error={save.error} />
      <div className="dir-actions">
        <button type="submit" data-action="save-remedial" disabled={save.isPending}>
          {t('admin.common.save')}
        </button>
        {save.isSuccess && <span className="ok">{t('admin.common.saved')}</span>}
      </div>
    </form>
  );
}
