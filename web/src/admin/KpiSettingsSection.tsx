import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { kpiApi, type KpiSettings } from '../api/kpi';
import { ErrorText } from '../components/ErrorText';
import '../features/kpi/kpi-settings.css';

type Settings = KpiSettings['settings'];
type Target = { value: number; direction: 'min' | 'max' };

const KPI_IDS = [
  'fcr',
  'repeat_rate',
  'timeout_rate',
  'sla_compliance',
  'handling_time',
  'csat_share',
  'csat_mean',
  'nps',
  'callbacks_24h',
  'complaint_rate',
  'script_compliance',
  'process_compliance',
  'qa_score',
  'dispute_rate',
  'answer_rate_peak',
  'asa',
  'chat_first_response',
  'bot_containment',
] as const;
/** KPIs entered as a percentage (stored as a fraction 0–1). */
const RATIOS = new Set<string>([
  'fcr',
  'repeat_rate',
  'timeout_rate',
  'sla_compliance',
  'handling_time',
  'csat_share',
  'callbacks_24h',
  'complaint_rate',
  'script_compliance',
  'process_compliance',
  'dispute_rate',
  'answer_rate_peak',
  'bot_containment',
]);
/** KPIs entered in seconds (stored in milliseconds). */
const SECONDS = new Set<string>(['asa', 'chat_first_response']);
const TYPES = ['inquiry', 'fault', 'complaint', 'service_request'] as const;
const COMPONENTS = [
  'satisfaction',
  'response_time',
  'resolution_rate',
  'handling_time',
  'complaint_rate',
  'qa_score',
] as const;

/** Shown value of a target: percent for ratios (rounded to avoid 0.85 × 100 = 85.00000000000001). */
const shown = (id: string, v: number) =>
  RATIOS.has(id) ? Math.round(v * 100_000) / 1000 : SECONDS.has(id) ? v / 1000 : v;
const stored = (id: string, v: number) => (RATIOS.has(id) ? v / 100 : SECONDS.has(id) ? v * 1000 : v);

/** KPI targets, the FCR window, handling-time targets, appraisal weights and subscriber bases. */
export default function KpiSettingsSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const current = useQuery({ queryKey: ['kpi', 'settings'], queryFn: kpiApi.settings });
  const [draft, setDraft] = useState<Settings | null>(null);
  useEffect(() => {
    if (current.data && draft === null) setDraft(current.data.settings);
  }, [current.data, draft]);
  const save = useMutation({
    mutationFn: (s: Settings) => kpiApi.saveSettings(s),
    onSuccess: (next) => {
      client.setQueryData(['kpi', 'settings'], next);
      setDraft(next.settings);
    },
  });
  if (!draft) return <ErrorText error={current.error} />;
  const total = COMPONENTS.reduce((sum, c) => sum + (draft.weights[c] ?? 0), 0);
  const setTarget = (id: string, patch: Partial<Target>) => {
    const before = (draft.targets as Record<string, Target | undefined>)[id] ?? { value: 0, direction: 'min' };
    setDraft({ ...draft, targets: { ...draft.targets, [id]: { ...before, ...patch } } });
  };
  return (
    <section className="kpi-settings">
      <h2>{t('kpiSettings.title')}</h2>
      <p className="muted">{t('kpiSettings.intro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft);
        }}
      >
        <fieldset>
          <legend>{t('kpiSettings.targets')}</legend>
          <table>
            <thead>
              <tr>
                <th>{t('kpiSettings.kpi')}</th>
                <th>{t('kpiSettings.direction')}</th>
                <th>{t('kpiSettings.target')}</th>
              </tr>
            </thead>
            <tbody>
              {KPI_IDS.map((id) => {
                const target = (draft.targets as Record<string, Target | undefined>)[id];
                return (
                  <tr key={id} data-target={id}>
                    <td>{t(`kpi.ids.${id}`)}</td>
                    <td>
                      <select
                        aria-label={t('kpiSettings.direction')}
                        value={target?.direction ?? 'min'}
                        onChange={(e) => setTarget(id, { direction: e.target.value as Target['direction'] })}
                      >
                        <option value="min">≥</option>
                        <option value="max">≤</option>
                      </select>
                    </td>
                    <td>
                      <input
                        type="number"
                        step="any"
                        aria-label={t(`kpi.ids.${id}`)}
                        value={target ? shown(id, target.value) : ''}
                        placeholder={t('kpiSettings.noTarget')}
                        onChange={(e) =>
                          e.target.value !== '' && setTarget(id, { value: stored(id, Number(e.target.value)) })
                        }
                      />{' '}
                      {RATIOS.has(id) ? '%' : SECONDS.has(id) ? t('wallboard.secondsUnit') : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </fieldset>
        <fieldset>
          <legend>{t('kpiSettings.handling')}</legend>
          {TYPES.map((type) => (
            <label key={type}>
              {t(`kpiSettings.types.${type}`)}{' '}
              <input
                type="number"
                min={0.5}
                step={0.5}
                name={`handling-${type}`}
                value={draft.handlingTargetHours[type] ?? ''}
                onChange={(e) =>
                  setDraft({
                    ...draft,
                    handlingTargetHours: { ...draft.handlingTargetHours, [type]: Number(e.target.value) },
                  })
                }
              />{' '}
              {t('kpiSettings.hours')}
            </label>
          ))}
          <label>
            {t('kpiSettings.fcrWindow')}{' '}
            <input
              type="number"
              min={1}
              max={90}
              name="fcrWindowDays"
              value={draft.fcrWindowDays}
              onChange={(e) => setDraft({ ...draft, fcrWindowDays: Number(e.target.value) })}
            />{' '}
            {t('kpiSettings.days')}
          </label>
          <p className="muted">{t('kpiSettings.rebuild')}</p>
        </fieldset>
        <fieldset>
          <legend>{t('kpiSettings.weights')}</legend>
          {COMPONENTS.map((c) => (
            <label key={c}>
              {t(`appraisal.components.${c}`)}{' '}
              <input
                type="number"
                min={0}
                max={100}
                step={0.5}
                name={`weight-${c}`}
                value={draft.weights[c] ?? 0}
                onChange={(e) => setDraft({ ...draft, weights: { ...draft.weights, [c]: Number(e.target.value) } })}
              />{' '}
              %
            </label>
          ))}
          <p className={total === 100 ? 'muted' : 'error'} role="status">
            {t('kpiSettings.total', { total })}
          </p>
        </fieldset>
        <button type="submit" className="primary" disabled={save.isPending || total !== 100}>
          {save.isPending ? t('admin.common.saving') : t('admin.common.save')}
        </button>
        {save.isSuccess && <span className="muted"> {t('admin.common.saved')}</span>}
        <ErrorText error={save.error} />
      </form>
      <SubscriberBase rows={current.data?.subscriberBase ?? []} />
    </section>
  );
}

function SubscriberBase({ rows }: { rows: KpiSettings['subscriberBase'] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [region, setRegion] = useState('');
  const [subscribers, setSubscribers] = useState('');
  const set = useMutation({
    mutationFn: (v: { region: string; subscribers: number | null }) =>
      kpiApi.setSubscriberBase(v.region, v.subscribers),
    onSuccess: (next) => {
      client.setQueryData(['kpi', 'settings'], next);
      setRegion('');
      setSubscribers('');
    },
  });
  return (
    <fieldset className="subscriber-base">
      <legend>{t('kpiSettings.subscribers')}</legend>
      <p className="muted">{t('kpiSettings.subscribersIntro')}</p>
      <table>
        <tbody>
          {rows.map((r) => (
            <tr key={r.region}>
              <td>{r.region}</td>
              <td className="num">{r.subscribers.toLocaleString()}</td>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => set.mutate({ region: r.region, subscribers: null })}
                >
                  {t('kpiSettings.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          set.mutate({ region: region.trim(), subscribers: Number(subscribers) });
        }}
      >
        <label>
          {t('kpiSettings.region')} <input name="region" value={region} onChange={(e) => setRegion(e.target.value)} />
        </label>
        <label>
          {t('kpiSettings.subscriberCount')}{' '}
          <input
            name="subscribers"
            type="number"
            min={1}
            value={subscribers}
            onChange={(e) => setSubscribers(e.target.value)}
          />
        </label>
        <button type="submit" disabled={set.isPending || !region.trim() || !(Number(subscribers) > 0)}>
          {t('admin.common.save')}
        </button>
      </form>
      <ErrorText error={set.error} />
    </fieldset>
  );
}
