import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, get, post, query } from '../api/client';
import type { Category, Customer, Page, Ticket } from '../api/types';
import { TierBadge } from '../components/Badges';
import { ErrorText } from '../components/ErrorText';
import { useGrades } from '../features/tickets/useGrades';

type Type = Ticket['type'];

/** Taking a call: find the caller, classify, describe, save; the routing result shows at once. */
export default function NewTicketPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const [phone, setPhone] = useState('');
  // One key per form: a double click or a retry after a timeout cannot open two tickets.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [customerId, setCustomerId] = useState(params.get('customer') ?? '');
  const [type, setType] = useState<Type>('fault');
  const [categoryFilter, setCategoryFilter] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [grade, setGrade] = useState('general');
  const en = i18n.language === 'en';
  const navigate = useNavigate();
  const grades = useGrades();

  const search = useMutation({
    mutationFn: () => get<Page<Customer>>(`/api/v1/customers${query({ q: phone.trim(), limit: 10 })}`),
  });
  const chosen = useQuery({
    queryKey: ['customer', customerId],
    queryFn: () => get<Customer>(`/api/v1/customers/${customerId}`),
    enabled: Boolean(customerId),
  });
  const categories = useQuery({
    queryKey: ['categories'],
    queryFn: () => get<{ items: Category[] }>('/api/v1/categories'),
    staleTime: 300_000,
  });
  const save = useMutation({
    mutationFn: () =>
      post<Ticket>(
        '/api/v1/tickets',
        { customerId, type, grade, channel: 'hotline', subject, description, ...(categoryId ? { categoryId } : {}) },
        { 'idempotency-key': idempotencyKey },
      ),
    // The ticket page shows where routing put it (team, assignee and the rule that decided).
    onSuccess: (ticket) => void navigate(`/tickets/${ticket.id}`, { state: { created: true } }),
  });
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const name = (c: Category) => (en ? c.nameEn : c.nameZh);
  // Parents first, each followed by its children, as the tree reads.
  const all = categories.data?.items ?? [];
  const ordered = all
    .filter((c) => !c.parentId)
    .flatMap((root) => [root, ...all.filter((c) => c.parentId === root.id)]);
  const needle = categoryFilter.trim().toLowerCase();
  const options = ordered.filter(
    (c) =>
      c.ticketType === type && (!needle || [c.nameZh, c.nameEn, c.code].some((v) => v.toLowerCase().includes(needle))),
  );

  return (
    <div className="new-ticket">
      <h1>{t('create.title')}</h1>
      <form
        className="card caller"
        onSubmit={(e) => {
          e.preventDefault();
          if (phone.trim()) search.mutate();
        }}
      >
        <label>
          {t('create.phone')}
          <span className="row">
            <input name="phone" inputMode="tel" value={phone} onChange={(e) => setPhone(e.target.value)} autoFocus />
            <button type="submit" disabled={search.isPending}>
              {t('create.find')}
            </button>
          </span>
        </label>
        <ErrorText error={search.error} />
        {search.data?.items.length === 0 && <p className="muted">{t('create.noCustomer')}</p>}
        <ul className="matches">
          {search.data?.items.map((c) => (
            <li key={c.id}>
              <button type="button" className={c.id === customerId ? 'active' : ''} onClick={() => setCustomerId(c.id)}>
                {c.name} <TierBadge tier={c.tier} /> {c.numbers.join(', ')} {c.region}
              </button>
            </li>
          ))}
        </ul>
        {chosen.data && (
          <p className="chosen">
            ✓ {chosen.data.name} <TierBadge tier={chosen.data.tier} /> {chosen.data.numbers[0]}
          </p>
        )}
      </form>

      <form
        className="card details"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <fieldset className="types">
          <legend>{t('create.type')}</legend>
          {(['fault', 'complaint', 'inquiry', 'service_request'] as const).map((v) => (
            <label key={v} className="check">
              <input
                type="radio"
                name="type"
                value={v}
                checked={type === v}
                onChange={() => {
                  setType(v);
                  setCategoryId('');
                  if (v !== 'complaint') setGrade('general');
                }}
              />
              {t(`type.${v}`)}
            </label>
          ))}
        </fieldset>
        {type === 'complaint' && (
          <label>
            {t('create.grade')}
            <select name="grade" value={grade} onChange={(e) => setGrade(e.target.value)}>
              {(grades.items.length
                ? grades.items
                : [{ code: 'general', nameZh: '一般', nameEn: 'General', rank: 0 }]
              ).map((g) => (
                <option key={g.code} value={g.code}>
                  {en ? g.nameEn : g.nameZh}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('create.category')}
          <input
            type="search"
            placeholder={t('create.categorySearch')}
            value={categoryFilter}
            onChange={(e) => setCategoryFilter(e.target.value)}
          />
          {options.length === 0 && categories.data && <span className="muted">{t('create.noCategory')}</span>}
          <select
            name="category"
            value={categoryId}
            onChange={(e) => setCategoryId(e.target.value)}
            size={Math.min(6, Math.max(2, options.length))}
            hidden={options.length === 0}
          >
            {options.map((c) => (
              <option key={c.id} value={c.id}>
                {c.parentId ? '　' : ''}
                {name(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('create.subject')}
          <input name="subject" value={subject} onChange={(e) => setSubject(e.target.value)} required maxLength={200} />
          {fieldErrors.subject && <span className="error">{fieldErrors.subject}</span>}
        </label>
        <label>
          {t('create.description')}
          <textarea
            name="description"
            rows={5}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            required
          />
          {fieldErrors.description && <span className="error">{fieldErrors.description}</span>}
        </label>
        {!customerId && <p className="muted">{t('create.pickFirst')}</p>}
        <ErrorText error={save.error} />
        <button type="submit" className="primary" disabled={save.isPending || !customerId}>
          {save.isPending ? t('create.saving') : t('create.save')}
        </button>
      </form>
    </div>
  );
}
