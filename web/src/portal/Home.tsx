import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { portalApi } from '../api/portal';
import { StatusBadge } from '../components/Badges';
import { ErrorText } from '../components/ErrorText';
import type { TicketType } from '../../../src/core/tickets/types';
import { FaqSuggestions } from './Faq';

/** A new request (sent once however often the button is pressed) and the customer's own requests. */
export function Home({ onOpen }: { onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const tickets = useQuery({
    queryKey: ['portal-tickets'],
    queryFn: () => portalApi.tickets(),
  });
  const categories = useQuery({
    queryKey: ['portal-categories'],
    queryFn: () => portalApi.categories(),
  });
  const [type, setType] = useState<TicketType>('complaint');
  const [categoryId, setCategoryId] = useState('');
  const [description, setDescription] = useState('');
  const [contactNumber, setContactNumber] = useState('');
  const [key] = useState(() => crypto.randomUUID());
  const submit = useMutation({
    mutationFn: () =>
      portalApi.submit(
        { type, description, ...(categoryId ? { categoryId } : {}), ...(contactNumber ? { contactNumber } : {}) },
        key,
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['portal-tickets'] }),
  });
  const en = i18n.language === 'en';
  return (
    <>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          submit.mutate();
        }}
      >
        <h1>{t('portal.new')}</h1>
        {submit.data ? (
          <p className="ok" role="status">
            {t('portal.submitted', { number: submit.data.number })}
          </p>
        ) : (
          <>
            <label>
              {t('portal.type')}
              <select
                name="type"
                value={type}
                onChange={(e) => (setType(e.target.value as TicketType), setCategoryId(''))}
              >
                {(['complaint', 'fault', 'service_request', 'inquiry'] as const).map((v) => (
                  <option key={v} value={v}>
                    {t(`type.${v}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('portal.category')}
              <select name="category" value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
                <option value="">—</option>
                {categories.data?.items
                  .filter((c) => c.type === type)
                  .map((c) => (
                    <option key={c.id} value={c.id}>
                      {en ? c.nameEn : c.nameZh}
                    </option>
                  ))}
              </select>
            </label>
            <label>
              {t('portal.description')}
              <textarea
                name="description"
                rows={5}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                required
              />
            </label>
            <FaqSuggestions text={description} submitted={submit.isSuccess || submit.isPending} />
            <label>
              {t('portal.contact')}
              <input
                name="contact"
                inputMode="tel"
                value={contactNumber}
                onChange={(e) => setContactNumber(e.target.value)}
              />
            </label>
            <ErrorText error={submit.error} />
            <button type="submit" className="primary" disabled={submit.isPending}>
              {t('portal.submit')}
            </button>
          </>
        )}
      </form>
      <section className="card">
        <h2>{t('portal.mine')}</h2>
        {tickets.data?.items.length === 0 && <p className="muted">{t('portal.empty')}</p>}
        <ul className="portal-list">
          {tickets.data?.items.map((tk) => (
            <li key={tk.id}>
              <button type="button" className="link" onClick={() => onOpen(tk.id)}>
                {tk.number}
              </button>{' '}
              <StatusBadge status={tk.status} /> {tk.subject}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
