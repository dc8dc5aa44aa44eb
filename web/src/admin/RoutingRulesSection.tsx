import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { referenceApi, routingApi, slaApi, type DryRun, type RoutingRule } from '../api/admin-rules';
import { ApiError } from '../api/client';
import { ErrorText } from '../components/ErrorText';
import { CHANNELS, CUSTOMER_TIERS, TICKET_TYPES } from '../../../src/core/tickets/types';
import { CheckList, ListInput, usePages, type Option } from './rules-form';

// Routing rules: the ordered list (enable, edit, delete, move up/down — the new order is saved in
// one request), an editor offering only the teams, grades, categories and policies that exist,
// and a dry run of the saved rules on an imagined ticket.

type Rule = RoutingRule;
type Effect = DryRun['matched'][number]['effects'][number];

/** Labels for the closed lists and the configured data, in the desk's language. */
function useVocabulary() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const teams = useQuery({ queryKey: ['teams'], queryFn: referenceApi.teams, staleTime: 300_000 });
  const grades = useQuery({ queryKey: ['grades'], queryFn: referenceApi.grades, staleTime: 300_000 });
  const categories = useQuery({ queryKey: ['categories'], queryFn: referenceApi.categories, staleTime: 300_000 });
  const policies = useQuery({ queryKey: ['admin', 'sla-policies'], queryFn: slaApi.policies });
  const teamName = (code: string) => teams.data?.items.find((x) => x.code === code)?.name ?? code;
  const gradeName = (code: string) => {
    const g = grades.data?.items.find((x) => x.code === code);
    return g ? (en ? g.nameEn : g.nameZh) : code;
  };
  const categoryName = (code: string) => {
    const c = categories.data?.items.find((x) => x.code === code);
    return c ? (en ? c.nameEn : c.nameZh) : code;
  };
  const policyName = (id: string) => policies.data?.items.find((p) => p.id === id)?.name ?? id;
  const options = {
    types: TICKET_TYPES.map((v) => ({ value: v, label: t(`type.${v}`) })),
    channels: CHANNELS.map((v) => ({ value: v, label: t(`admin.routing.channel.${v}`) })),
    customerTiers: CUSTOMER_TIERS.map((v) => ({ value: v, label: t(`tier.${v}`) })),
    grades: [...(grades.data?.items ?? [])]
      .sort((a, b) => a.rank - b.rank)
      .map((g) => ({ value: g.code, label: en ? g.nameEn : g.nameZh })),
    teams: (teams.data?.items ?? []).map((x) => ({ value: x.code, label: `${x.name} (${x.code})` })),
    categories: categoryOptions(categories.data?.items ?? [], en),
    policies: (policies.data?.items ?? []).map((p) => ({ value: p.id, label: p.name })),
  };
  const label = (kind: keyof typeof options, value: string) => {
    switch (kind) {
      case 'teams':
        return teamName(value);
      case 'grades':
        return gradeName(value);
      case 'categories':
        return categoryName(value);
      case 'policies':
        return policyName(value);
      default:
        return options[kind].find((o) => o.value === value)?.label ?? value;
    }
  };
  const effect = (e: Effect) => {
    switch (e.kind) {
      case 'queue':
        return t('routing.queue', { queue: teamName(e.queue) });
      case 'grade':
        return t('routing.grade', { from: gradeName(e.from), to: gradeName(e.to) });
      case 'priority':
        return t('routing.priority', { priority: e.priority });
      case 'tag':
        return t('routing.tag', { tag: e.tag });
      case 'sla_policy':
        return t('routing.slaPolicy', { policy: policyName(e.policy) });
    }
  };
  return { options, label, effect, teamName, gradeName, policyName };
}
type Vocabulary = ReturnType<typeof useVocabulary>;

/** The category tree as indented options (parents first), by code. */
function categoryOptions(
  items: { id: string; parentId: string | null; code: string; nameZh: string; nameEn: string; sort: number }[],
  en: boolean,
): Option[] {
  const out: Option[] = [];
  const walk = (parentId: string | null, depth: number) => {
    for (const c of items.filter((x) => x.parentId === parentId).sort((a, b) => a.sort - b.sort)) {
      out.push({ value: c.code, label: `${'　'.repeat(depth)}${en ? c.nameEn : c.nameZh}` });
      if (depth < 10) walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export default function RoutingRulesSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const vocabulary = useVocabulary();
  const rules = useQuery({ queryKey: ['admin', 'routing-rules'], queryFn: routingApi.rules });
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const list = rules.data?.rules ?? [];
  const page = usePages(list);

  const setRules = (next: { rules: Rule[] }) => client.setQueryData(['admin', 'routing-rules'], next);
  const toggle = useMutation({
    mutationFn: (rule: Rule) => routingApi.saveRule(rule.id, withoutId({ ...rule, enabled: !rule.enabled })),
    onSuccess: setRules,
  });
  const remove = useMutation({
    mutationFn: (rule: Rule) => routingApi.deleteRule(rule.id),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', 'routing-rules'] }),
  });
  const move = useMutation({
    mutationFn: ({ index, by }: { index: number; by: -1 | 1 }) => {
      const ids = list.map((r) => r.id);
      const [id] = ids.splice(index, 1);
      ids.splice(index + by, 0, id!);
      page.showIndex(index + by);
      return routingApi.reorder(ids);
    },
    onSuccess: setRules,
    // A stale list (someone else changed the set) is refused: show the current one.
    onError: () => client.invalidateQueries({ queryKey: ['admin', 'routing-rules'] }),
  });

  return (
    <div className="admin-rules routing-rules">
      <h2>{t('admin.routing.title')}</h2>
      <p className="muted">{t('admin.routing.intro')}</p>
      <ErrorText error={rules.error ?? toggle.error ?? remove.error ?? move.error} />
      {rules.isPending ? (
        <p className="loading">{t('list.loading')}</p>
      ) : list.length === 0 ? (
        <p className="muted">{t('admin.routing.empty')}</p>
      ) : (
        <table className="rules">
          <thead>
            <tr>
              <th>{t('admin.routing.order')}</th>
              <th>{t('admin.routing.name')}</th>
              <th>{t('admin.routing.enabled')}</th>
              <th>{t('admin.routing.when')}</th>
              <th>{t('admin.routing.then')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.items.map((rule, i) => {
              const index = page.offset + i;
              return (
                <tr key={rule.id} data-rule={rule.id} className={rule.enabled ? undefined : 'disabled'}>
                  <td className="order">
                    {index + 1}
                    <button
                      type="button"
                      className="link move-up"
                      aria-label={t('admin.routing.moveUp', { name: rule.name })}
                      title={t('admin.routing.moveUp', { name: rule.name })}
                      disabled={index === 0 || move.isPending}
                      onClick={() => move.mutate({ index, by: -1 })}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="link move-down"
                      aria-label={t('admin.routing.moveDown', { name: rule.name })}
                      title={t('admin.routing.moveDown', { name: rule.name })}
                      disabled={index === list.length - 1 || move.isPending}
                      onClick={() => move.mutate({ index, by: 1 })}
                    >
                      ↓
                    </button>
                  </td>
                  <td>
                    {rule.name}
                    <div className="muted code">{rule.id}</div>
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      name="enabled"
                      aria-label={t('admin.routing.enabled')}
                      checked={rule.enabled}
                      disabled={toggle.isPending}
                      onChange={() => toggle.mutate(rule)}
                    />
                  </td>
                  <td className="when">
                    {describeWhen(rule, vocabulary, t).join(t('admin.routing.partSeparator')) ||
                      t('admin.routing.always')}
                  </td>
                  <td className="then">
                    {describeThen(rule, vocabulary, t).join(t('admin.routing.partSeparator')) || '—'}
                  </td>
                  <td className="actions">
                    <div className="row">
                      <button type="button" className="link edit" onClick={() => setEditing(rule)}>
                        {t('admin.routing.common.edit')}
                      </button>
                      <button
                        type="button"
                        className="link delete"
                        onClick={() => {
                          if (window.confirm(t('admin.routing.confirmDelete', { name: rule.name })))
                            remove.mutate(rule);
                        }}
                      >
                        {t('admin.routing.common.delete')}
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {page.pager}
      {editing === null ? (
        <button type="button" className="new-rule" onClick={() => setEditing('new')}>
          {t('admin.routing.newRule')}
        </button>
      ) : (
        <RuleEditor
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? null : editing}
          vocabulary={vocabulary}
          onDone={(next) => {
            if (next) setRules(next);
            setEditing(null);
          }}
        />
      )}
      <DryRunPanel vocabulary={vocabulary} />
    </div>
  );
}

const withoutId = ({ id: _id, ...rest }: Rule) => rest;
type T = ReturnType<typeof useTranslation>['t'];

function describeWhen(rule: Rule, v: Vocabulary, t: T): string[] {
  const w = rule.when;
  const part = (key: keyof Rule['when'], values: string[] | undefined, label: (x: string) => string) =>
    values && values.length
      ? [t(`admin.routing.summary.${key}`, { values: values.map(label).join(t('admin.routing.listSeparator')) })]
      : [];
  return [
    ...part('types', w.types, (x) => v.label('types', x)),
    ...part('categories', w.categories, (x) => v.label('categories', x).trim()),
    ...part('grades', w.grades, (x) => v.label('grades', x)),
    ...part('channels', w.channels, (x) => v.label('channels', x)),
    ...part('customerTiers', w.customerTiers, (x) => v.label('customerTiers', x)),
    ...part('regions', w.regions, (x) => x),
    ...part('tags', w.tags, (x) => x),
    ...part('keywords', w.keywords, (x) => x),
  ];
}

function describeThen(rule: Rule, v: Vocabulary, t: T): string[] {
  const a = rule.then;
  return [
    ...(a.queue ? [t('routing.queue', { queue: v.teamName(a.queue) })] : []),
    ...(a.grade ? [`${t('admin.routing.act.grade')} ${v.gradeName(a.grade)}`] : []),
    ...(a.priority ? [`${t('admin.routing.act.priority')} P${a.priority}`] : []),
    ...(a.tags ?? []).map((tag) => t('routing.tag', { tag })),
    ...(a.slaPolicyHint ? [t('routing.slaPolicy', { policy: v.policyName(a.slaPolicyHint) })] : []),
    ...(rule.stop ? [t('admin.routing.summary.stop')] : []),
  ];
}

/** Empty lists and unset actions are left out, so the saved rule says only what it checks. */
function tidy(rule: Rule): Rule {
  const when = Object.fromEntries(
    Object.entries(rule.when).filter(([, v]) => Array.isArray(v) && v.length > 0),
  ) as Rule['when'];
  const then = Object.fromEntries(
    Object.entries(rule.then).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)),
  ) as Rule['then'];
  return { ...rule, when, then, ...(rule.stop ? { stop: true } : { stop: undefined }) };
}

function RuleEditor(props: {
  rule: Rule | null;
  vocabulary: Vocabulary;
  onDone(next: { rules: Rule[] } | null): void;
}) {
  const { t } = useTranslation();
  const { options } = props.vocabulary;
  const [rule, setRule] = useState<Rule>(props.rule ?? { id: '', name: '', enabled: true, when: {}, then: {} });
  const save = useMutation({
    mutationFn: (r: Rule) => routingApi.saveRule(r.id, withoutId(tidy(r))),
    onSuccess: (next) => props.onDone(next),
  });
  const setWhen = (key: keyof Rule['when']) => (values: string[]) =>
    setRule((r) => ({ ...r, when: { ...r.when, [key]: values } }));
  const setThen = <K extends keyof Rule['then']>(key: K, value: Rule['then'][K]) =>
    setRule((r) => ({ ...r, then: { ...r.then, [key]: value } }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(rule);
  };
  const fields = save.error instanceof ApiError ? save.error.fieldErrors() : {};

  return (
    <form className="rule-editor panel" onSubmit={submit}>
      <h3>{props.rule ? t('admin.routing.editRule', { name: props.rule.name }) : t('admin.routing.newRule')}</h3>
      <div className="grid2">
        <label>
          {t('admin.routing.id')}
          <input
            name="id"
            required
            pattern="[a-z0-9][a-z0-9_\-]{0,63}"
            title={t('admin.routing.idHint')}
            value={rule.id}
            readOnly={props.rule !== null}
            onChange={(e) => setRule((r) => ({ ...r, id: e.target.value }))}
          />
        </label>
        <label>
          {t('admin.routing.name')}
          <input
            name="name"
            required
            maxLength={200}
            value={rule.name}
            onChange={(e) => setRule((r) => ({ ...r, name: e.target.value }))}
          />
          {fields.name && <span className="error">{fields.name}</span>}
        </label>
      </div>
      <div className="row flags">
        <label className="check">
          <input
            type="checkbox"
            name="enabled"
            checked={rule.enabled}
            onChange={(e) => setRule((r) => ({ ...r, enabled: e.target.checked }))}
          />
          {t('admin.routing.enabled')}
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="stop"
            checked={rule.stop ?? false}
            onChange={(e) => setRule((r) => ({ ...r, stop: e.target.checked }))}
          />
          {t('admin.routing.stop')}
        </label>
      </div>
      <h4>{t('admin.routing.when')}</h4>
      <div className="conditions">
        <CheckList
          name="types"
          legend={t('admin.routing.cond.types')}
          options={options.types}
          value={rule.when.types}
          onChange={setWhen('types')}
        />
        <CheckList
          name="grades"
          legend={t('admin.routing.cond.grades')}
          options={options.grades}
          value={rule.when.grades}
          onChange={setWhen('grades')}
        />
        <CheckList
          name="channels"
          legend={t('admin.routing.cond.channels')}
          options={options.channels}
          value={rule.when.channels}
          onChange={setWhen('channels')}
        />
        <CheckList
          name="customerTiers"
          legend={t('admin.routing.cond.customerTiers')}
          options={options.customerTiers}
          value={rule.when.customerTiers}
          onChange={setWhen('customerTiers')}
        />
        <label>
          {t('admin.routing.cond.categories')}
          <select
            name="categories"
            multiple
            size={6}
            value={rule.when.categories ?? []}
            onChange={(e) => setWhen('categories')([...e.target.selectedOptions].map((o) => o.value))}
          >
            {options.categories.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <div>
          <ListInput
            name="keywords"
            label={t('admin.routing.cond.keywords')}
            value={rule.when.keywords}
            onChange={setWhen('keywords')}
          />
          <ListInput
            name="whenTags"
            label={t('admin.routing.cond.tags')}
            value={rule.when.tags}
            onChange={setWhen('tags')}
          />
          <ListInput
            name="regions"
            label={t('admin.routing.cond.regions')}
            value={rule.when.regions}
            onChange={setWhen('regions')}
          />
        </div>
      </div>
      <h4>{t('admin.routing.then')}</h4>
      <div className="grid3">
        <label>
          {t('admin.routing.act.queue')}
          <select
            name="queue"
            value={rule.then.queue ?? ''}
            onChange={(e) => setThen('queue', e.target.value || undefined)}
          >
            <option value="">{t('admin.routing.common.none')}</option>
            {options.teams.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.routing.act.grade')}
          <select
            name="grade"
            value={rule.then.grade ?? ''}
            onChange={(e) => setThen('grade', e.target.value || undefined)}
          >
            <option value="">{t('admin.routing.common.none')}</option>
            {options.grades.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.routing.act.priority')}
          <select
            name="priority"
            value={rule.then.priority ?? ''}
            onChange={(e) =>
              setThen('priority', e.target.value ? (Number(e.target.value) as 1 | 2 | 3 | 4) : undefined)
            }
          >
            <option value="">{t('admin.routing.common.none')}</option>
            {[1, 2, 3, 4].map((p) => (
              <option key={p} value={p}>
                P{p}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.routing.act.slaPolicyHint')}
          <select
            name="slaPolicyHint"
            value={rule.then.slaPolicyHint ?? ''}
            onChange={(e) => setThen('slaPolicyHint', e.target.value || undefined)}
          >
            <option value="">{t('admin.routing.common.none')}</option>
            {options.policies.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <ListInput
          name="thenTags"
          label={t('admin.routing.act.tags')}
          value={rule.then.tags}
          onChange={(v) => setThen('tags', v)}
        />
      </div>
      <ErrorText error={save.error} />
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? t('admin.routing.common.saving') : t('admin.routing.common.save')}
        </button>
        <button type="button" onClick={() => props.onDone(null)}>
          {t('admin.routing.common.cancel')}
        </button>
      </div>
    </form>
  );
}

function DryRunPanel({ vocabulary }: { vocabulary: Vocabulary }) {
  const { t } = useTranslation();
  const { options } = vocabulary;
  const [input, setInput] = useState({
    type: 'complaint' as (typeof TICKET_TYPES)[number],
    channel: 'hotline' as (typeof CHANNELS)[number],
    customerTier: 'regular' as (typeof CUSTOMER_TIERS)[number],
    grade: 'general',
    category: '',
    subject: '',
    description: '',
  });
  const categories = useQuery({ queryKey: ['categories'], queryFn: referenceApi.categories, staleTime: 300_000 });
  const run = useMutation({
    mutationFn: () =>
      routingApi.dryRun({
        type: input.type,
        channel: input.channel,
        customerTier: input.customerTier,
        grade: input.grade,
        subject: input.subject,
        description: input.description,
        ...(input.category ? { categoryId: categories.data?.items.find((c) => c.code === input.category)?.id } : {}),
      }),
  });
  const set = (key: keyof typeof input) => (e: { target: { value: string } }) =>
    setInput((i) => ({ ...i, [key]: e.target.value }));
  const result = run.data;
  return (
    <section className="dry-run panel">
      <h3>{t('admin.routing.dryRun.title')}</h3>
      <p className="muted">{t('admin.routing.dryRun.intro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <div className="grid5">
          <label>
            {t('admin.routing.dryRun.type')}
            <select name="dryType" value={input.type} onChange={set('type')}>
              {options.types.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('admin.routing.dryRun.channel')}
            <select name="dryChannel" value={input.channel} onChange={set('channel')}>
              {options.channels.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('admin.routing.dryRun.tier')}
            <select name="dryTier" value={input.customerTier} onChange={set('customerTier')}>
              {options.customerTiers.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('admin.routing.dryRun.grade')}
            <select name="dryGrade" value={input.grade} onChange={set('grade')}>
              {options.grades.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('admin.routing.dryRun.category')}
            <select name="dryCategory" value={input.category} onChange={set('category')}>
              <option value="">{t('admin.routing.common.none')}</option>
              {options.categories.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label>
          {t('admin.routing.dryRun.subject')}
          <input name="drySubject" maxLength={200} value={input.subject} onChange={set('subject')} />
        </label>
        <label>
          {t('admin.routing.dryRun.description')}
          <textarea name="dryText" rows={3} maxLength={20000} value={input.description} onChange={set('description')} />
        </label>
        <button type="submit" className="primary" disabled={run.isPending}>
          {run.isPending ? t('admin.routing.dryRun.running') : t('admin.routing.dryRun.run')}
        </button>
      </form>
      <ErrorText error={run.error} />
      {result && (
        <div className="dry-run-result">
          <h4>{t('admin.routing.dryRun.matched')}</h4>
          {result.matched.length === 0 ? (
            <p className="no-match">{t('admin.routing.dryRun.noMatch')}</p>
          ) : (
            <ol className="matched">
              {result.matched.map((m) => (
                <li key={m.ruleId} data-rule={m.ruleId}>
                  <strong>{m.name}</strong>
                  {t('admin.routing.colon')}
                  {m.effects.length
                    ? m.effects.map(vocabulary.effect).join(t('routing.separator'))
                    : t('routing.noChange')}
                </li>
              ))}
            </ol>
          )}
          <h4>{t('admin.routing.dryRun.outcome')}</h4>
          <dl className="outcome">
            <dt>{t('admin.routing.dryRun.queue')}</dt>
            <dd className="queue">
              {result.queue ? vocabulary.teamName(result.queue.code) : t('admin.routing.dryRun.noQueue')}
            </dd>
            <dt>{t('admin.routing.dryRun.grade2')}</dt>
            <dd className="grade">{vocabulary.gradeName(result.grade)}</dd>
            <dt>{t('admin.routing.dryRun.priority')}</dt>
            <dd className="priority">P{result.priority}</dd>
            <dt>{t('admin.routing.dryRun.tags')}</dt>
            <dd className="tags">{result.tags.join(t('admin.routing.listSeparator')) || '—'}</dd>
            <dt>{t('admin.routing.dryRun.sla')}</dt>
            <dd className="sla">{result.slaPolicy ? vocabulary.policyName(result.slaPolicy.id) : '—'}</dd>
            <dt>{t('admin.routing.dryRun.words')}</dt>
            <dd className="words muted">{result.words.join(' / ')}</dd>
          </dl>
        </div>
      )}
    </section>
  );
}
