import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { incidentsApi, type Incident } from '../../api/incidents';
import { ErrorText } from '../../components/ErrorText';
import { formatDateTime } from '../../i18n';
import { REMEDY_KINDS, type RemedyKind } from '../../../../src/core/incidents/incidents';
import './incident-sections.css';

/**
 * Remedies on the incident page: grant one to a linked customer or to all of them (over the limit
 * it waits for another supervisor), approve or reject what waits, export the approved ones (CSV).
 */
export function RemediesSection({ incident, onDone }: { incident: Incident; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const canGrant = incident.abilities.includes('remedy');
  const [kind, setKind] = useState<RemedyKind>(incident.repair.proposeFeeWaiver ? 'fee_waiver' : 'data_pack');
  const [amount, setAmount] = useState('1024');
  const [note, setNote] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const customers = [...new Map(incident.tickets.map((tk) => [tk.customerId, tk.customerName])).entries()];
  const grant = useMutation({
    mutationFn: () =>
      incidentsApi.grantRemedy(incident.id, {
        kind,
        amount: Number(amount),
        note,
        ...(customerId ? { customerId } : {}),
      }),
    onSuccess: (r) => {
      setResult(t('incidents.remedyGranted', r));
      setNote('');
      onDone();
    },
  });
  const decide = useMutation({
    mutationFn: (d: { remedyId: string; approve: boolean }) =>
      incidentsApi.decideRemedy(incident.id, d.remedyId, d.approve),
    onSuccess: onDone,
  });
  const waiting = incident.remedies.filter((r) => r.canDecide).map((r) => r.id);
  const decideAll = useMutation({
    mutationFn: (approve: boolean) => incidentsApi.decideRemedies(incident.id, waiting, approve),
    onSuccess: onDone,
  });
  return (
    <section className="incident-remedies-section">
      <h2>{t('incidents.remedies')}</h2>
      {canGrant && incident.status !== 'reviewed' && (
        <form
          className="incident-remedy-form"
          onSubmit={(e) => {
            e.preventDefault();
            setResult(null);
            grant.mutate();
          }}
        >
          <label>
            {t('incidents.remedyCustomer')}
            <select value={customerId} onChange={(e) => setCustomerId(e.target.value)}>
              <option value="">{t('incidents.remedyAllCustomers')}</option>
              {customers.map(([id, name]) => (
                <option key={id} value={id}>
                  {name ?? id}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('incidents.remedyKind')}
            <select value={kind} onChange={(e) => setKind(e.target.value as RemedyKind)}>
              {REMEDY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`incidents.remedyKinds.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('incidents.remedyAmount')}
            <input type="number" min={1} required value={amount} onChange={(e) => setAmount(e.target.value)} />
          </label>
          <label>
            {t('incidents.remedyNote')}
            <input value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="submit" disabled={grant.isPending || !(Number(amount) > 0)}>
            {t('incidents.remedyGrant')}
          </button>
          <p className="hint muted">
            {t('incidents.remedyThresholdHint', {
              dataPack: incident.remedyApprovalAbove.data_pack,
              feeWaiver: incident.remedyApprovalAbove.fee_waiver,
            })}
          </p>
          <ErrorText error={grant.error} />
          {result && (
            <p className="ok hint" role="status">
              {result}
            </p>
          )}
        </form>
      )}
      <ErrorText error={decide.error ?? decideAll.error} />
      {waiting.length > 1 && (
        <p className="incident-remedies-bulk">
          <button type="button" disabled={decideAll.isPending} onClick={() => decideAll.mutate(true)}>
            {t('incidents.remedyApproveAll', { count: waiting.length })}
          </button>{' '}
          <button type="button" disabled={decideAll.isPending} onClick={() => decideAll.mutate(false)}>
            {t('incidents.remedyRejectAll', { count: waiting.length })}
          </button>
        </p>
      )}
      {incident.remedies.length === 0 ? (
        <p className="empty">{t('incidents.remedyEmpty')}</p>
      ) : (
        <table className="incident-remedies">
          <thead>
            <tr>
              <th>{t('incidents.remedyCustomer')}</th>
              <th>{t('incidents.remedyKind')}</th>
              <th>{t('incidents.remedyAmountShort')}</th>
              <th>{t('incidents.status')}</th>
              <th>{t('incidents.remedyBy')}</th>
              <th>{t('incidents.remedyDecidedBy')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {incident.remedies.map((r) => (
              <tr key={r.id} data-remedy={r.id}>
                <td>{r.customerName ?? '—'}</td>
                <td>{t(`incidents.remedyKinds.${r.kind}`)}</td>
                <td>
                  {r.amount} {t(`incidents.remedyUnits.${r.unit}`, { defaultValue: r.unit })}
                </td>
                <td className={r.status}>{t(`incidents.remedyStatuses.${r.status}`)}</td>
                <td>
                  {r.grantedBy?.displayName ?? '—'} · {formatDateTime(r.createdAt, i18n.language, true)}
                </td>
                <td>{r.decidedBy?.displayName ?? '—'}</td>
                <td>
                  {r.canDecide && (
                    <>
                      <button
                        type="button"
                        disabled={decide.isPending}
                        onClick={() => decide.mutate({ remedyId: r.id, approve: true })}
                      >
                        {t('incidents.remedyApprove')}
                      </button>{' '}
                      <button
                        type="button"
                        disabled={decide.isPending}
                        onClick={() => decide.mutate({ remedyId: r.id, approve: false })}
                      >
                        {t('incidents.remedyReject')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {incident.abilities.includes('export') && incident.remedies.some((r) => r.status === 'approved') && (
        <p>
          <a href={incidentsApi.remediesCsvUrl(incident.id)} download>
            {t('incidents.remedyExport')}
          </a>
        </p>
      )}
    </section>
  );
}
