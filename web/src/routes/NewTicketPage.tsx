import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IncidentBanner } from '../features/incidents/IncidentBanner';
import { useNavigate, useSearchParams } from 'react-router';
import {
  createCustomer,
  createTicket,
  fetchCustomer,
  searchCustomers,
  suggestClassification,
  type TicketCreateBody,
} from '../api/tickets';
import { ClassificationHint } from '../features/tickets/ClassificationHint';
import { CUSTOMER_TIERS, STAFF_ENTERED_CHANNELS, type Customer, type Ticket } from '../api/types';
import { TierBadge } from '../components/Badges';
import { ErrorText } from '../components/ErrorText';
import { cleanDetails, FaultFields, type FaultDetails } from '../features/tickets/FaultFields';
import { useCategories } from '../features/tickets/useCategories';
import { useFieldErrors } from '../features/tickets/useFieldErrors';
import { useGrades } from '../features/tickets/useGrades';
import { SubjectFields } from '../features/tickets/SubjectFields';

type Type = Ticket['type'];
type Channel = (typeof STAFF_ENTERED_CHANNELS)[number];
/** The category select's explicit "leave it open" choice (nothing chosen yet is ''). */
const LEAVE_OPEN = 'open';
const MSISDN = /^(\+?86)?1\d{10}$|^0\d{9,11}$/;
const digits = (s: string) => s.trim().replace(/[\s-]/g, '');

/**
 * Taking a contact: the channel it came by, the customer (found by number, or registered on the
 * spot), the classification (a category chosen, or explicitly left open), the fault's details, and
 * a number to call back on. The ticket page then shows where routing put it.
 */
export default function NewTicketPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [channel, setChannel] = useState<Channel>('hotline');
  const [phone, setPhone] = useState('');
  // One key per form: a double click or a retry after a timeout cannot open two tickets.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [customerId, setCustomerId] = useState(params.get('customer') ?? '');
  const [type, setType] = useState<Type>('fault');
  const [categoryFilter, setCategoryFilter] = useState('');
  const [category, setCategory] = useState('');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [grade, setGrade] = useState('general');
  const [contactNumber, setContactNumber] = useState('');
  const [details, setDetails] = useState<FaultDetails>({});
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const navigate = useNavigate();
  const grades = useGrades();
  const categories = useCategories();

  const search = useMutation({ mutationFn: () => searchCustomers(phone.trim()) });
  const chosen = useQuery({
    queryKey: ['customer', customerId],
    queryFn: () => fetchCustomer(customerId),
    enabled: Boolean(customerId),
  });
  const save = useMutation({
    mutationFn: (body: TicketCreateBody) => createTicket(body, idempotencyKey),
    // The ticket page shows where routing put it (team, assignee and the rule that decided).
    onSuccess: (ticket) => void navigate(`/tickets/${ticket.id}`, { state: { created: true } }),
  });
  const fieldErrors = { ...useFieldErrors(save.error), ...localErrors };
  const needle = categoryFilter.trim().toLowerCase();
  const options = categories
    .fitting(type)
    .filter((c) => !needle || [c.nameZh, c.nameEn, c.code].some((v) => v.toLowerCase().includes(needle)));

  const submit = () => {
    const errors: Record<string, string> = {};
    if (!category) errors.category = t('validation.category');
    if (contactNumber.trim() && !MSISDN.test(digits(contactNumber)))
      errors.contactNumber = t('validation.contactNumber');
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    save.mutate({
      customerId,
      type,
      grade,
      channel,
      subject,
      description,
      ...(category !== LEAVE_OPEN ? { categoryId: category } : {}),
      ...(contactNumber.trim() ? { contactNumber: digits(contactNumber) } : {}),
      ...(type === 'fault' ? { details: cleanDetails(details) } : {}),
    });
  };

  return (
    <div className="new-ticket">
      <h1>{t('create.title')}</h1>
      <div className="card caller">
        <label>
          {t('create.channel')}
          <select name="channel" value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
            {STAFF_ENTERED_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <form
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
        </form>
        <ErrorText error={search.error} />
        <ul className="matches">
          {search.data?.items.map((c) => (
            <li key={c.id}>
              <button type="button" className={c.id === customerId ? 'active' : ''} onClick={() => setCustomerId(c.id)}>
                {c.name} <TierBadge tier={c.tier} /> {c.numbers.join(', ')} {c.region}
              </button>
            </li>
          ))}
        </ul>
        {search.data?.items.length === 0 && (
          <RegisterCaller
            key={search.submittedAt}
            searched={phone}
            onRegistered={(c) => {
              setCustomerId(c.id);
              search.reset();
            }}
          />
        )}
        {chosen.data && (
          <p className="chosen">
            ✓ {chosen.data.name} <TierBadge tier={chosen.data.tier} /> {chosen.data.numbers[0]}
          </p>
        )}
        {customerId && <IncidentBanner customerId={customerId} />}
      </div>

      <form
        className="card details"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
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
                  // A category of the old type no longer fits: choose again (or leave it open).
                  if (category !== LEAVE_OPEN) setCategory('');
                }}
              />
              {t(`type.${v}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t('create.grade')}
          <select name="grade" value={grade} onChange={(e) => setGrade(e.target.value)}>
            {(grades.items.length ? grades.items : [{ code: 'general' }]).map((g) => (
              <option key={g.code} value={g.code}>
                {grades.label(g.code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('create.category')}
          <span className="row">
            <input
              type="search"
              placeholder={t('create.categorySearch')}
              value={categoryFilter}
              onChange={(e) => setCategoryFilter(e.target.value)}
            />
            {/* Nothing is chosen until the agent chooses: a category, or "leave open" on purpose. */}
            <select
              name="category"
              value={category}
              onChange={(e) => setCategory(e.target.value)}
              aria-invalid={Boolean(fieldErrors.category)}
            >
              <option value="" disabled>
                {t('create.categoryPick')}
              </option>
              <option value={LEAVE_OPEN}>{t('create.categoryLeaveOpen')}</option>
              {options.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.parentId ? '　' : ''}
                  {categories.name(c)}
                </option>
              ))}
            </select>
          </span>
          {options.length === 0 && categories.loaded && <span className="muted">{t('create.noCategory')}</span>}
          {(fieldErrors.category ?? fieldErrors.categoryId) && (
            <span className="error">{fieldErrors.category ?? fieldErrors.categoryId}</span>
          )}
        </label>
        <SubjectFields
          subject={subject}
          onSubject={setSubject}
          description={description}
          onDescription={setDescription}
          errors={fieldErrors}
        />
        <ClassificationHint
          queryKey={['new']}
          load={() => suggestClassification(subject, description)}
          text={`${subject} ${description}`}
          current={{ type, categoryId: category || null, grade }}
          onAccept={(c) => {
            setType(c.type);
            setCategory(c.categoryId ?? '');
            setGrade(c.grade);
          }}
        />
        {type === 'fault' && <FaultFields value={details} onChange={setDetails} errors={fieldErrors} />}
        <label>
          {t('create.contactNumber')}
          <input
            name="contactNumber"
            inputMode="tel"
            value={contactNumber}
            onChange={(e) => setContactNumber(e.target.value)}
          />
          {fieldErrors.contactNumber && <span className="error">{fieldErrors.contactNumber}</span>}
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

/** No customer has the number: register the caller here (name, number, tier) and go on. */
function RegisterCaller({ searched, onRegistered }: { searched: string; onRegistered: (c: Customer) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  // A full number typed into the search is the caller's number; four digits are not.
  const [number, setNumber] = useState(MSISDN.test(digits(searched)) ? digits(searched) : '');
  const [tier, setTier] = useState<Customer['tier']>('regular');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const register = useMutation({
    mutationFn: () => createCustomer({ name: name.trim(), numbers: [digits(number)], tier }),
    onSuccess: onRegistered,
  });
  const fieldErrors = { ...useFieldErrors(register.error), ...localErrors };
  return (
    <div className="register">
      <p className="muted">
        {t('create.noCustomer')}{' '}
        {!open && (
          <button type="button" className="link" onClick={() => setOpen(true)} data-action="register">
            {t('create.register')}
          </button>
        )}
      </p>
      {open && (
        <form
          className="register-form"
          aria-label={t('create.registerTitle')}
          onSubmit={(e) => {
            e.preventDefault();
            const errors: Record<string, string> = {};
            if (!name.trim()) errors.name = t('validation.name');
            if (!MSISDN.test(digits(number))) errors.numbers = t('validation.numbers');
            setLocalErrors(errors);
            if (Object.keys(errors).length === 0) register.mutate();
          }}
        >
          <strong>{t('create.registerTitle')}</strong>
          <label>
            {t('create.name')}
            <input name="register-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
            {fieldErrors.name && <span className="error">{fieldErrors.name}</span>}
          </label>
          <label>
            {t('create.number')}
            <input name="register-number" inputMode="tel" value={number} onChange={(e) => setNumber(e.target.value)} />
            {fieldErrors.numbers && <span className="error">{fieldErrors.numbers}</span>}
          </label>
          <label>
            {t('create.tier')}
            <select name="register-tier" value={tier} onChange={(e) => setTier(e.target.value as Customer['tier'])}>
              {CUSTOMER_TIERS.map((v) => (
                <option key={v} value={v}>
                  {t(`tier.${v}`)}
                </option>
              ))}
            </select>
          </label>
          <ErrorText error={register.error} />
          <span className="row">
            <button type="submit" className="primary" disabled={register.isPending}>
              {register.isPending ? t('create.registering') : t('create.registerSave')}
            </button>
            <button type="button" className="link" onClick={() => setOpen(false)}>
              {t('ticket.cancel')}
            </button>
          </span>
        </form>
      )}
    </div>
  );
}
