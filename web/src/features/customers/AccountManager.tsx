import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { setAccountManager } from '../../api/care';
import { deskApi } from '../../api/desk';
import type { Customer } from '../../api/types';
import { ErrorText } from '../../components/ErrorText';

/** Tiers whose customers may have a dedicated account manager (the server refuses others). */
const MANAGED_TIERS: readonly Customer['tier'][] = ['vip', 'gold'];

/**
 * The customer's account manager; a supervisor or admin of a VIP or gold customer picks them from
 * the people who take tickets (or removes them).
 */
export function AccountManager({ customer, canChoose }: { customer: Customer; canChoose: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const choosing = canChoose && MANAGED_TIERS.includes(customer.tier);
  const agents = useQuery({ queryKey: ['agents'], queryFn: deskApi.agents, enabled: choosing });
  const save = useMutation({
    mutationFn: (id: string | null) => setAccountManager(customer.id, id),
    onSuccess: (updated) => client.setQueryData(['customer', customer.id], updated),
  });
  const manager = customer.accountManager;
  if (!choosing) {
    return manager ? <p className="account-manager">{t('care.accountManager', { name: manager.name })}</p> : null;
  }
  return (
    <div className="account-manager-choice">
      <label>
        {t('care.accountManagerLabel')}{' '}
        <select
          name="accountManager"
          value={manager?.id ?? ''}
          disabled={save.isPending || agents.isPending}
          onChange={(e) => save.mutate(e.target.value === '' ? null : e.target.value)}
        >
          <option value="">{t('care.noAccountManager')}</option>
          {manager && !agents.data?.items.some((a) => a.id === manager.id) && (
            <option value={manager.id}>{manager.name}</option>
          )}
          {agents.data?.items.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName}
            </option>
          ))}
        </select>
      </label>
      <ErrorText error={save.error ?? agents.error} />
    </div>
  );
}
