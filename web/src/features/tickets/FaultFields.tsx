import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types';
import { fromZonedInput, toZonedInput } from '../../i18n';

export type FaultDetails = Ticket['details'];
export const FAULT_SCOPES = ['single_user', 'building', 'area'] as const;

/** Only the details that say something: empty inputs are left out rather than sent as "". */
export function cleanDetails(d: FaultDetails): FaultDetails {
  return Object.fromEntries(Object.entries(d).filter(([, v]) => typeof v === 'string' && v.trim() !== ''));
}

/** Location, symptom, affected scope and time of onset of a fault (故障地点、现象、影响范围、发生时间). */
export function FaultFields({
  value,
  onChange,
  errors = {},
}: {
  value: FaultDetails;
  onChange: (next: FaultDetails) => void;
  errors?: Record<string, string>;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<FaultDetails>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="fault-fields">
      <legend>{t('edit.fault')}</legend>
      <label>
        {t('edit.location')}
        <input
          name="fault-location"
          value={value.location ?? ''}
          maxLength={300}
          onChange={(e) => set({ location: e.target.value })}
        />
      </label>
      <label>
        {t('edit.symptom')}
        <input
          name="fault-symptom"
          value={value.symptom ?? ''}
          maxLength={500}
          onChange={(e) => set({ symptom: e.target.value })}
        />
      </label>
      <span className="row">
        <label>
          {t('edit.scope')}
          <select
            name="fault-scope"
            value={value.scope ?? ''}
            onChange={(e) => set({ scope: (e.target.value || undefined) as FaultDetails['scope'] })}
          >
            <option value="">{t('edit.scopeUnset')}</option>
            {FAULT_SCOPES.map((s) => (
              <option key={s} value={s}>
                {t(`scope.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('edit.onset')}
          <input
            type="datetime-local"
            name="fault-onset"
            value={toZonedInput(value.onsetAt)}
            onChange={(e) => set({ onsetAt: fromZonedInput(e.target.value) ?? undefined })}
          />
        </label>
      </span>
      {errors.details && <span className="error">{errors.details}</span>}
    </fieldset>
  );
}
