import { metricsMet } from '../../../src/core/sla/milestones';
import { MESSAGE_KINDS } from '../../../src/core/tickets/types';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { referenceApi, slaApi, type SlaPolicy } from '../api/admin-rules';
import { ErrorText } from '../components/ErrorText';
import { formatDuration } from '../i18n';
import { SLA_METRICS } from '../../../src/core/sla/sla-policy';
import { ESCALATION_ACTIONS } from '../../../src/core/sla/target-clock';
import { CHANNELS, CUSTOMER_TIERS, TICKET_STATUSES, TICKET_TYPES } from '../../../src/core/tickets/types';
import { CheckList, ListInput, splitList, usePages } from './rules-form';

// SLA policies in match order, each with its time limits (which clock, how long, on which
// calendar), warnings and escalation chain; one policy is edited at a time. Only existing
// calendars, grades, categories and queues are offered; the server checks them again.

type Target = SlaPolicy['targets'][number];
type Step = SlaPolicy['escalation'][number];

function useLabels() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const grades = useQuery({ queryKey: ['grades'], queryFn: referenceApi.grades, staleTime: 300_000 });
  const categories = useQuery({ queryKey: ['categories'], queryFn: referenceApi.categories, staleTime: 300_000 });
  const teams = useQuery({ queryKey: ['teams'], queryFn: referenceApi.teams, staleTime: 300_000 });
  const calendars = useQuery({ queryKey: ['admin', 'calendars'], queryFn: slaApi.calendars });
  const gradeItems = [...(grades.data?.items ?? [])].sort((a, b) => a.rank - b.rank);
  return {
    duration: (minutes: number) => formatDuration(minutes * 60_000, i18n.language),
    calendar: (id: string) => calendars.data?.items.find((c) => c.id === id)?.name ?? id,
    options: {
      types: TICKET_TYPES.map((v) => ({ value: v, label: t(`type.${v}`) })),
      tiers: CUSTOMER_TIERS.map((v) => ({ value: v, label: t(`tier.${v}`) })),
      channels: CHANNELS.map((v) => ({ value: v, label: t(`admin.routing.channel.${v}`) })),
      statuses: TICKET_STATUSES.map((v) => ({ value: v, label: t(`status.${v}`) })),
      actions: ESCALATION_ACTIONS.map((v) => ({ value: v, label: t(`admin.sla.action.${v}`) })),
      grades: gradeItems.map((g) => ({ value: g.code, label: en ? g.nameEn : g.nameZh })),
      categories: (categories.data?.items ?? []).map((c) => ({ value: c.code, label: en ? c.nameEn : c.nameZh })),
      calendars: (calendars.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
      teams: (teams.data?.items ?? []).map((x) => ({ value: x.code, label: `${x.name} (${x.code})` })),
    },
  };
}
type Labels = ReturnType<typeof useLabels>;

export default function SlaPoliciesSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const labels = useLabels();
  const policies = useQuery({ queryKey: ['admin', 'sla-policies'], queryFn: slaApi.policies });
  const [editing, setEditing] = useState<SlaPolicy | null>(null);
  const list = policies.data?.items ?? [];
  const page = usePages(list);
  const labelOf = (kind: keyof Labels['options'], value: string) =>
    labels.options[kind].find((o) => o.value === value)?.label ?? value;

  const conditions = (p: SlaPolicy) => {
    const c = p.conditions;
    const parts = [
      ...(c.types ?? []).map((v) => labelOf('types', v)),
      ...(c.grades ?? []).map((v) => labelOf('grades', v)),
      ...(c.tiers ?? []).map((v) => labelOf('tiers', v)),
      ...(c.channels ?? []).map((v) => labelOf('channels', v)),
      ...(c.categoryCodes ?? []).map((v) => labelOf('categories', v)),
      ...(c.regions ?? []),
    ];
    return parts.length ? parts.join(' · ') : t('admin.sla.allTickets');
  };

  return (
    <div className="admin-rules sla-policies">
      <h2>{t('admin.sla.title')}</h2>
      <p className="muted">{t('admin.sla.intro')}</p>
      <ErrorText error={policies.error} />
      {policies.isPending && <p className="loading">{t('list.loading')}</p>}
      {list.length > 0 && (
        <table className="policies">
          <thead>
            <tr>
              <th>{t('admin.sla.position')}</th>
              <th>{t('admin.sla.name')}</th>
              <th>{t('admin.sla.conditions')}</th>
              <th>{t('admin.sla.targets')}</th>
              <th>{t('admin.sla.warnAt')}</th>
              <th>{t('admin.sla.escalation')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.items.map((p) => (
              <tr key={p.id} data-policy={p.id} className={p.active ? undefined : 'disabled'}>
                <td>{p.position}</td>
                <td>
                  {p.name}
                  <div className="muted code">
                    {p.id}
                    {!p.active && ` · ${t('admin.sla.active')}: ${t('admin.routing.common.none')}`}
                  </div>
                </td>
                <td>{conditions(p)}</td>
                <td className="targets">
                  {p.targets.map((x) => (
                    <div key={x.metric} data-metric={x.metric}>
                      {t('admin.sla.limit', {
                        metric: t(`admin.sla.metric.${x.metric}`),
                        limit: labels.duration(x.limitMinutes),
                        calendar: labels.calendar(x.calendarId),
                      })}
                    </div>
                  ))}
                </td>
                <td>{p.warnAt.map((w) => `${Math.round(w * 100)}%`).join(', ') || '—'}</td>
                <td className="escalation">
                  {p.escalation.map((s, i) => (
                    <div key={i}>
                      {t('admin.sla.step', {
                        after: labels.duration(s.afterMinutes),
                        actions: s.actions
                          .map((a) =>
                            a === 'reassign_queue' && s.queue
                              ? `${t(`admin.sla.action.${a}`)} ${labelOf('teams', s.queue)}`
                              : t(`admin.sla.action.${a}`),
                          )
                          .join(t('routing.separator')),
                      })}
                    </div>
                  ))}
                </td>
                <td>
                  <button type="button" className="link edit" onClick={() => setEditing(p)}>
                    {t('admin.routing.common.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.pager}
      {editing && (
        <PolicyEditor
          key={editing.id}
          policy={editing}
          labels={labels}
          onDone={(items) => {
            if (items) client.setQueryData(['admin', 'sla-policies'], { items });
            setEditing(null);
          }}
        />
      )}
    </div>
  );
}

function PolicyEditor(props: { policy: SlaPolicy; labels: Labels; onDone: (items: SlaPolicy[] | null) => void }) {
  const { t } = useTranslation();
  const { options } = props.labels;
  const [policy, setPolicy] = useState<SlaPolicy>(props.policy);
  const [warnText, setWarnText] = useState(props.policy.warnAt.map((w) => Math.round(w * 100)).join(', '));
  const [warnInvalid, setWarnInvalid] = useState(false);
  const save = useMutation({
    mutationFn: (p: SlaPolicy) => slaApi.savePolicy(p),
    onSuccess: (res) => props.onDone(res.items),
  });
  const setCond = (key: keyof SlaPolicy['conditions']) => (values: string[]) =>
    setPolicy((p) => ({ ...p, conditions: { ...p.conditions, [key]: values.length ? values : undefined } }));
  const setTarget = (i: number, change: Partial<Target>) =>
    setPolicy((p) => ({ ...p, targets: p.targets.map((x, j) => (j === i ? { ...x, ...change } : x)) }));
  const setStep = (i: number, change: Partial<Step>) =>
    setPolicy((p) => ({ ...p, escalation: p.escalation.map((x, j) => (j === i ? { ...x, ...change } : x)) }));
  const unusedMetric = SLA_METRICS.find((m) => !policy.targets.some((x) => x.metric === m));

  const submit = () => {
    const warnAt = splitList(warnText).map(Number);
    const ok = warnAt.every((w) => Number.isFinite(w) && w >= 1 && w <= 99);
    setWarnInvalid(!ok);
    if (!ok) return;
    save.mutate({
      ...policy,
      warnAt: [...warnAt].sort((a, b) => a - b).map((w) => w / 100),
      escalation: policy.escalation.map((s) =>
        s.actions.includes('reassign_queue') ? s : { afterMinutes: s.afterMinutes, actions: s.actions },
      ),
    });
  };

  return (
    <form
      className="panel policy-editor"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>{t('admin.sla.editPolicy', { name: props.policy.name })}</h3>
      <div className="grid3">
        <label>
          {t('admin.sla.name')}
          <input
            name="name"
            required
            maxLength={100}
            value={policy.name}
            onChange={(e) => setPolicy((p) => ({ ...p, name: e.target.value }))}
          />
        </label>
        <label>
          {t('admin.sla.position')}
          <input
            name="position"
            type="number"
            step={1}
            required
            value={policy.position}
            onChange={(e) => setPolicy((p) => ({ ...p, position: Number(e.target.value) }))}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="active"
            checked={policy.active}
            onChange={(e) => setPolicy((p) => ({ ...p, active: e.target.checked }))}
          />
          {t('admin.sla.active')}
        </label>
      </div>
      <h4>{t('admin.sla.conditions')}</h4>
      <div className="conditions">
        <CheckList
          name="types"
          legend={t('admin.sla.cond.types')}
          options={options.types}
          value={policy.conditions.types}
          onChange={setCond('types')}
        />
        <CheckList
          name="grades"
          legend={t('admin.sla.cond.grades')}
          options={options.grades}
          value={policy.conditions.grades}
          onChange={setCond('grades')}
        />
        <CheckList
          name="tiers"
          legend={t('admin.sla.cond.tiers')}
          options={options.tiers}
          value={policy.conditions.tiers}
          onChange={setCond('tiers')}
        />
        <CheckList
          name="channels"
          legend={t('admin.sla.cond.channels')}
          options={options.channels}
          value={policy.conditions.channels}
          onChange={setCond('channels')}
        />
        <label>
          {t('admin.sla.cond.categoryCodes')}
          <select
            name="categoryCodes"
            multiple
            size={5}
            value={policy.conditions.categoryCodes ?? []}
            onChange={(e) => setCond('categoryCodes')([...e.target.selectedOptions].map((o) => o.value))}
          >
            {options.categories.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <ListInput
          name="regions"
          label={t('admin.sla.cond.regions')}
          value={policy.conditions.regions}
          onChange={setCond('regions')}
        />
      </div>

      <h4>{t('admin.sla.targets')}</h4>
      <table className="targets-edit">
        <thead>
          <tr>
            <th>{t('admin.sla.metricLabel')}</th>
            <th>{t('admin.sla.limitMinutes')}</th>
            <th>{t('admin.sla.calendar')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {policy.targets.map((x, i) => (
            <tr key={i} data-target={x.metric}>
              <td>
                <select
                  name={`metric-${i}`}
                  value={x.metric}
                  onChange={(e) => setTarget(i, { metric: e.target.value as Target['metric'] })}
                >
                  {SLA_METRICS.filter((m) => m === x.metric || !policy.targets.some((y) => y.metric === m)).map((m) => (
                    <option key={m} value={m}>
                      {t(`admin.sla.metric.${m}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  name={`limit-${i}`}
                  type="number"
                  min={1}
                  max={525600}
                  step="any"
                  required
                  value={x.limitMinutes}
                  onChange={(e) => setTarget(i, { limitMinutes: Number(e.target.value) })}
                />
              </td>
              <td>
                <select
                  name={`calendar-${i}`}
                  value={x.calendarId}
                  onChange={(e) => setTarget(i, { calendarId: e.target.value })}
                >
                  {options.calendars.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <button
                  type="button"
                  className="link"
                  disabled={policy.targets.length <= 1}
                  onClick={() => setPolicy((p) => ({ ...p, targets: p.targets.filter((_, j) => j !== i) }))}
                >
                  {t('admin.sla.removeTarget')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {unusedMetric && (
        <button
          type="button"
          className="add-target"
          onClick={() =>
            setPolicy((p) => ({
              ...p,
              targets: [...p.targets, { metric: unusedMetric, limitMinutes: 60, calendarId: 'cn-business' }],
            }))
          }
        >
          {t('admin.sla.addTarget')}
        </button>
      )}

      <div className="grid2">
        <label>
          {t('admin.sla.warnAtLabel')}
          <input
            name="warnAt"
            value={warnText}
            aria-invalid={warnInvalid}
            onChange={(e) => setWarnText(e.target.value)}
          />
          {warnInvalid && <span className="error">{t('admin.sla.warnAtInvalid')}</span>}
        </label>
        <CheckList
          name="pauseOn"
          legend={t('admin.sla.pauseOn')}
          options={options.statuses}
          value={policy.pauseOn}
          onChange={(values) => setPolicy((p) => ({ ...p, pauseOn: values as SlaPolicy['pauseOn'] }))}
        />
      </div>

      <h4>{t('messageKind.meetsTitle')}</h4>
      <p className="muted">{t('messageKind.meetsIntro')}</p>
      <div className="grid2 message-kind-meets">
        {MESSAGE_KINDS.map((k) => (
          <CheckList
            key={k}
            name={`meets-${k}`}
            legend={t(`messageKind.${k}`)}
            options={SLA_METRICS.map((m) => ({ value: m, label: t(`admin.sla.metric.${m}`, { defaultValue: m }) }))}
            value={metricsMet('public_reply', k, policy.messageKindMeets)}
            onChange={(values) =>
              setPolicy((p) => ({
                ...p,
                messageKindMeets: { ...p.messageKindMeets, [k]: values as SlaPolicy['targets'][number]['metric'][] },
              }))
            }
          />
        ))}
      </div>

      <h4>{t('admin.sla.escalation')}</h4>
      {policy.escalation.map((s, i) => (
        <div key={i} className="step row wrap" data-step={i}>
          <label>
            {t('admin.sla.afterMinutes')}
            <input
              name={`after-${i}`}
              type="number"
              min={0}
              step="any"
              value={s.afterMinutes}
              onChange={(e) => setStep(i, { afterMinutes: Number(e.target.value) })}
            />
          </label>
          <CheckList
            name={`actions-${i}`}
            legend={t('admin.sla.actions')}
            options={options.actions}
            value={s.actions}
            onChange={(values) => setStep(i, { actions: values as Step['actions'] })}
          />
          {s.actions.includes('reassign_queue') && (
            <label>
              {t('admin.sla.queue')}
              <select
                name={`queue-${i}`}
                required
                value={s.queue ?? ''}
                onChange={(e) => setStep(i, { queue: e.target.value || undefined })}
              >
                <option value="" />
                {options.teams.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            type="button"
            className="link"
            onClick={() => setPolicy((p) => ({ ...p, escalation: p.escalation.filter((_, j) => j !== i) }))}
          >
            {t('admin.sla.removeStep')}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="add-step"
        onClick={() =>
          setPolicy((p) => ({
            ...p,
            escalation: [...p.escalation, { afterMinutes: 30, actions: ['notify_supervisor'] }],
          }))
        }
      >
        {t('admin.sla.addStep')}
      </button>

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
