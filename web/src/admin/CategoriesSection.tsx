import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { derivePriority } from '../../../src/core/tickets/priority';
import { CUSTOMER_TIERS, TICKET_TYPES, type TicketType } from '../../../src/core/tickets/types';
import { adminDirectory, type Category, type CategoryChanges, type PriorityWeights } from '../api/admin-directory';
import type { Grade } from '../api/types';
import { ErrorText } from '../components/ErrorText';
import { formText, Pager, usePaged } from './directory-parts';
import './admin-directory.css';

/** The category tree, complaint grades and the priority weights. */
export default function CategoriesSection() {
  const { t } = useTranslation();
  return (
    <div className="dir-section categories-section">
      <h2>{t('admin.categories.title')}</h2>
      <p className="muted intro">{t('admin.categories.intro')}</p>
      <CategoryTree />
      <div className="dir-grid">
        <Grades />
        <Weights />
      </div>
    </div>
  );
}

/** Categories in tree order (parents before children), each with its depth. */
function treeOrder(items: Category[]): { category: Category; depth: number }[] {
  const byParent = new Map<string | null, Category[]>();
  for (const c of items) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c]);
  const out: { category: Category; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const c of byParent.get(parent) ?? []) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push({ category: c, depth });
      walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  // Orphans (a parent that is gone) still show, at the top level.
  for (const c of items) if (!seen.has(c.id)) out.push({ category: c, depth: 0 });
  return out;
}

function CategoryTree() {
  const { t, i18n } = useTranslation();
  const categories = useQuery({ queryKey: ['admin', 'categories'], queryFn: adminDirectory.categories });
  const [editing, setEditing] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const rows = treeOrder(categories.data?.items ?? []);
  const paged = usePaged(rows, 20);
  const name = (c: Category) => (i18n.language === 'en' ? c.nameEn : c.nameZh);
  const all = categories.data?.items ?? [];

  return (
    <section className="panel">
      <div className="dir-actions">
        <h3>{t('admin.categories.tree')}</h3>
        <button type="button" className="primary" data-action="new-category" onClick={() => setCreating(true)}>
          {t('admin.categories.new')}
        </button>
      </div>
      <ErrorText error={categories.error} />
      {creating && <CategoryForm all={all} onDone={() => setCreating(false)} />}
      <table className="dir-tree">
        <thead>
          <tr>
            <th>{t('admin.categories.nameZh')}</th>
            <th>{t('admin.categories.nameEn')}</th>
            <th>{t('admin.categories.code')}</th>
            <th>{t('admin.categories.ticketType')}</th>
            <th>{t('admin.categories.sort')}</th>
            <th>{t('admin.common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {paged.rows.map(({ category: c, depth }) =>
            editing === c.id ? (
              <tr key={c.id}>
                <td colSpan={6}>
                  <CategoryForm all={all} category={c} onDone={() => setEditing(null)} />
                </td>
              </tr>
            ) : (
              <tr key={c.id} data-category={c.code} className={c.active ? '' : 'inactive'}>
                <td className="name" style={{ paddingLeft: `${0.5 + depth * 1.5}rem` }}>
                  {depth > 0 ? '└ ' : ''}
                  {c.nameZh}
                </td>
                <td>{c.nameEn}</td>
                <td className="muted">{c.code}</td>
                <td>{c.ticketType ? t(`type.${c.ticketType}`) : t('admin.categories.anyType')}</td>
                <td className="num">{c.sort}</td>
                <td>
                  {!c.active && <span className="dir-badge off">{t('admin.categories.inactive')}</span>}{' '}
                  <button type="button" className="link" onClick={() => setEditing(c.id)} aria-label={name(c)}>
                    {t('admin.common.edit')}
                  </button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      <Pager {...paged} />
    </section>
  );
}

/** A new category, or changes to one: names in both languages, parent, type, order, active. */
function CategoryForm(props: { all: Category[]; category?: Category; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const c = props.category;
  const saved = async () => {
    await client.invalidateQueries({ queryKey: ['admin', 'categories'] });
    await client.invalidateQueries({ queryKey: ['categories'] });
    props.onDone();
  };
  const create = useMutation({ mutationFn: adminDirectory.createCategory, onSuccess: saved });
  const update = useMutation({
    mutationFn: (changes: CategoryChanges) => adminDirectory.updateCategory(c!.id, changes),
    onSuccess: saved,
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => formText(f, k);
    const fields = {
      nameZh: text('nameZh'),
      nameEn: text('nameEn'),
      parentId: text('parentId') || null,
      ticketType: (text('ticketType') || null) as TicketType | null,
      sort: Number(text('sort') || 0),
      // Separated by commas (either width), the enumeration comma or spaces.
      keywords: text('keywords')
        .split(/[,，、\s]+/)
        .map((k) => k.trim())
        .filter(Boolean),
    };
    if (c) update.mutate({ ...fields, active: f.get('active') === 'on' });
    else create.mutate({ ...fields, code: text('code').trim() });
  };
  const name = (x: Category) => (i18n.language === 'en' ? x.nameEn : x.nameZh);
  return (
    <form className="dir-form category-form" onSubmit={submit}>
      {!c && (
        <label>
          {t('admin.categories.code')}
          <input name="code" required pattern="[a-z0-9][a-z0-9_\-]{0,39}" />
        </label>
      )}
      <label>
        {t('admin.categories.nameZh')}
        <input name="nameZh" required defaultValue={c?.nameZh} />
      </label>
      <label>
        {t('admin.categories.nameEn')}
        <input name="nameEn" required defaultValue={c?.nameEn} />
      </label>
      <label>
        {t('admin.categories.parent')}
        <select name="parentId" defaultValue={c?.parentId ?? ''}>
          <option value="">{t('admin.categories.topLevel')}</option>
          {props.all
            .filter((x) => x.id !== c?.id)
            .map((x) => (
              <option key={x.id} value={x.id}>
                {name(x)} ({x.code})
              </option>
            ))}
        </select>
      </label>
      <label>
        {t('admin.categories.ticketType')}
        <select name="ticketType" defaultValue={c?.ticketType ?? ''}>
          <option value="">{t('admin.categories.anyType')}</option>
          {TICKET_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`type.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('admin.categories.sort')}
        <input name="sort" type="number" defaultValue={c?.sort ?? 0} />
      </label>
      <label className="wide">
        {t('admin.categories.keywords')}
        <input name="keywords" defaultValue={c?.keywords.join('、') ?? ''} />
        <span className="muted">{t('admin.categories.keywordsHint')}</span>
      </label>
      {c && (
        <label className="check">
          <input type="checkbox" name="active" defaultChecked={c.active} />
          {t('admin.categories.active')}
        </label>
      )}
      <div className="dir-actions wide">
        <button type="submit" className="primary" disabled={create.isPending || update.isPending}>
          {c ? t('admin.common.save') : t('admin.common.create')}
        </button>
        <button type="button" onClick={props.onDone}>
          {t('admin.common.cancel')}
        </button>
        <ErrorText error={create.error ?? update.error} />
      </div>
    </form>
  );
}

function Grades() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const grades = useQuery({ queryKey: ['admin', 'grades'], queryFn: adminDirectory.grades });
  const save = useMutation({
    mutationFn: adminDirectory.saveGrade,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['admin', 'grades'] });
      await client.invalidateQueries({ queryKey: ['grades'] });
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>, code?: string) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    save.mutate({
      code: code ?? formText(f, 'code').trim(),
      nameZh: formText(f, 'nameZh'),
      nameEn: formText(f, 'nameEn'),
      rank: Number(formText(f, 'rank') || 0),
    });
    if (!code) e.currentTarget.reset();
  };
  const row = (g: Grade | null) => (
    <form key={g?.code ?? 'new'} className="dir-actions grade" onSubmit={(e) => submit(e, g?.code)}>
      {g ? (
        <code className="muted">{g.code}</code>
      ) : (
        <input
          name="code"
          required
          size={8}
          placeholder={t('admin.categories.code')}
          pattern="[a-z0-9][a-z0-9_\-]{0,39}"
        />
      )}
      <input
        name="nameZh"
        required
        size={6}
        defaultValue={g?.nameZh}
        aria-label={t('admin.categories.nameZh')}
        placeholder={t('admin.categories.nameZh')}
      />
      <input
        name="nameEn"
        required
        size={8}
        defaultValue={g?.nameEn}
        aria-label={t('admin.categories.nameEn')}
        placeholder={t('admin.categories.nameEn')}
      />
      <input
        name="rank"
        type="number"
        min={0}
        max={100}
        style={{ width: '4.5rem' }}
        defaultValue={g?.rank ?? ''}
        required
        aria-label={t('admin.categories.rank')}
        placeholder={t('admin.categories.rank')}
      />
      <button type="submit">{g ? t('admin.common.save') : t('admin.categories.newGrade')}</button>
    </form>
  );
  return (
    <section className="panel grades">
      <h3>{t('admin.categories.grades')}</h3>
      <p className="muted">{t('admin.categories.gradesIntro')}</p>
      <ErrorText error={grades.error ?? save.error} />
      {grades.data?.items.map((g) => row(g))}
      {row(null)}
      {save.isSuccess && <p className="ok">{t('admin.common.saved')}</p>}
    </section>
  );
}

function Weights() {
  const setting = useQuery({ queryKey: ['admin', 'priority-weights'], queryFn: adminDirectory.priorityWeights });
  const grades = useQuery({ queryKey: ['admin', 'grades'], queryFn: adminDirectory.grades });
  if (!setting.data || !grades.data) return <ErrorText error={setting.error ?? grades.error} />;
  return (
    <WeightsForm
      key={JSON.stringify(setting.data)}
      initial={setting.data.weights}
      source={setting.data.source}
      grades={grades.data.items}
    />
  );
}

function WeightsForm(props: { initial: PriorityWeights; source: 'database' | 'environment'; grades: Grade[] }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [w, setW] = useState<PriorityWeights>({
    ...props.initial,
    grade: Object.fromEntries(props.grades.map((g) => [g.code, props.initial.grade[g.code] ?? 0])),
  });
  const done = (data: unknown) => client.setQueryData(['admin', 'priority-weights'], data);
  const save = useMutation({ mutationFn: () => adminDirectory.setPriorityWeights(w), onSuccess: done });
  const reset = useMutation({ mutationFn: adminDirectory.resetPriorityWeights, onSuccess: done });
  const num = (v: string) => Math.max(0, Math.min(100, Math.round(Number(v) || 0)));
  const gradeName = (g: Grade) => (i18n.language === 'en' ? g.nameEn : g.nameZh);
  const field = (label: string, value: number, onChange: (n: number) => void, name: string) => (
    <label key={name}>
      {label}
      <input
        type="number"
        name={name}
        min={0}
        max={100}
        value={value}
        onChange={(e) => onChange(num(e.target.value))}
      />
    </label>
  );
  const top = props.grades.at(-1);
  const example = {
    type: t('type.complaint'),
    grade: top ? gradeName(top) : '',
    tier: t('tier.vip'),
    p: derivePriority({ type: 'complaint', grade: top?.code ?? '', tier: 'vip' }, w),
  };
  return (
    <form
      className="panel weights"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3>{t('admin.categories.weights')}</h3>
      <p className="muted">{t('admin.categories.weightsIntro')}</p>
      <p>
        {t('admin.categories.weightsSource', {
          source: props.source === 'database' ? t('admin.common.fromDatabase') : t('admin.common.fromEnvironment'),
        })}
      </p>
      <div className="dir-weights">
        <fieldset>
          <legend>{t('admin.categories.gradeWeights')}</legend>
          {props.grades.map((g) =>
            field(
              gradeName(g),
              w.grade[g.code] ?? 0,
              (n) => setW({ ...w, grade: { ...w.grade, [g.code]: n } }),
              `grade-${g.code}`,
            ),
          )}
        </fieldset>
        <fieldset>
          <legend>{t('admin.categories.typeWeights')}</legend>
          {TICKET_TYPES.map((type) =>
            field(
              t(`type.${type}`),
              w.type[type],
              (n) => setW({ ...w, type: { ...w.type, [type]: n } }),
              `type-${type}`,
            ),
          )}
        </fieldset>
        <fieldset>
          <legend>{t('admin.categories.tierWeights')}</legend>
          {CUSTOMER_TIERS.map((tier) =>
            field(
              t(`tier.${tier}`),
              w.tier[tier],
              (n) => setW({ ...w, tier: { ...w.tier, [tier]: n } }),
              `tier-${tier}`,
            ),
          )}
        </fieldset>
        <fieldset>
          <legend>
            {t('admin.categories.thresholds')} <span className="muted">({t('admin.categories.thresholdsHint')})</span>
          </legend>
          {w.thresholds.map((value, i) =>
            field(
              t('admin.categories.threshold', { n: i + 1 }),
              value,
              (n) =>
                setW({ ...w, thresholds: w.thresholds.map((x, j) => (j === i ? n : x)) as [number, number, number] }),
              `threshold-${i + 1}`,
            ),
          )}
        </fieldset>
      </div>
      <p className="muted">{t('admin.categories.preview', example)}</p>
      <div className="dir-actions">
        <button type="submit" className="primary" data-action="save-weights" disabled={save.isPending}>
          {t('admin.common.save')}
        </button>
        {props.source === 'database' && (
          <button type="button" onClick={() => reset.mutate()} disabled={reset.isPending}>
            {t('admin.common.resetToEnvironment')}
          </button>
        )}
        {save.isSuccess && <span className="ok">{t('admin.common.saved')}</span>}
      </div>
      <ErrorText error={save.error ?? reset.error} />
    </form>
  );
}
