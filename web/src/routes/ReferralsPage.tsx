import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { regulatorApi, type Referral } from '../api/regulator';
import { ErrorText } from '../components/ErrorText';
import { formatDateTime } from '../i18n';
import { APPEAL_CATEGORIES } from '../../../src/core/regulator/referrals';

/** Regulator referral cases: the list, the referral form (`/referrals/new`) and one case. */
export default function ReferralsPage({ canCreate }: { canCreate: boolean }) {
  const { id } = useParams();
  if (id === 'new') return canCreate ? <ReferralForm /> : <ReferralList canCreate={false} />;
  return id ? <ReferralCase id={id} /> : <ReferralList canCreate={canCreate} />;
}

function ReferralList({ canCreate }: { canCreate: boolean }) {
  const { t, i18n } = useTranslation();
  const list = useInfiniteQuery({
    queryKey: ['referrals'],
    queryFn: ({ pageParam }) => regulatorApi.list(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="referrals">
      <h1>{t('regulator.title')}</h1>
      <p className="muted">{t('regulator.intro')}</p>
      {canCreate && (
        <p>
          <Link className="button" to="/referrals/new">
            {t('regulator.newReferral')}
          </Link>
        </p>
      )}
      <ErrorText error={list.error} />
      <table>
        <thead>
          <tr>
            <th>{t('regulator.columns.number')}</th>
            <th>{t('regulator.columns.source')}</th>
            <th>{t('regulator.columns.category')}</th>
            <th>{t('regulator.columns.customer')}</th>
            <th>{t('regulator.columns.received')}</th>
            <th>{t('regulator.columns.deadline')}</th>
            <th>{t('regulator.columns.status')}</th>
            <th>{t('regulator.columns.ticket')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-referral={r.id}>
              <td>
                <Link to={`/referrals/${r.id}`}>{r.referralNumber}</Link>
              </td>
              <td>{i18n.language === 'en' ? r.source.nameEn : r.source.nameZh}</td>
              <td>{t(`regulator.category.${r.category}`)}</td>
              <td>{r.customerName}</td>
              <td>{r.receivedOn}</td>
              <td
                className={r.status === 'open' && new Date(r.reportDueAt).getTime() < Date.now() ? 'error' : undefined}
              >
                {r.deadline}
              </td>
              <td>{t(`regulator.status.${r.status}`)}</td>
              <td>
                <Link to={`/tickets/${r.ticket.id}`}>{r.ticket.number}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!list.isLoading && rows.length === 0 && <p className="muted">{t('regulator.empty')}</p>}
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('regulator.loadMore')}
        </button>
      )}
    </section>
  );
}

const today = () => new Date().toISOString().slice(0, 10);

function ReferralForm() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const sources = useQuery({ queryKey: ['regulator-sources'], queryFn: regulatorApi.sources });
  const [f, setF] = useState({
    sourceCode: '',
    referralNumber: '',
    receivedOn: today(),
    appealedOn: '',
    deadline: '',
    matterOn: '',
    name: '',
    msisdn: '',
    respondentUnit: '',
    category: 'user_service' as (typeof APPEAL_CATEGORIES)[number],
    claim: '',
    facts: '',
  });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const create = useMutation({
    mutationFn: () =>
      regulatorApi.create({
        sourceCode: f.sourceCode || sources.data?.items[0]?.code || '',
        referralNumber: f.referralNumber,
        receivedOn: f.receivedOn,
        ...(f.appealedOn ? { appealedOn: f.appealedOn } : {}),
        deadline: f.deadline,
        ...(f.matterOn ? { matterOn: f.matterOn } : {}),
        appellant: { name: f.name, msisdn: f.msisdn },
        respondentUnit: f.respondentUnit,
        category: f.category,
        claim: f.claim,
        facts: f.facts,
      }),
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: ['referrals'] });
      void navigate(`/referrals/${r.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section className="referrals">
      <p>
        <Link to="/referrals">← {t('regulator.back')}</Link>
      </p>
      <h1>{t('regulator.newReferral')}</h1>
      <p className="muted">{t('regulator.formHelp')}</p>
      <form className="referral-form" onSubmit={submit}>
        <label>
          {t('regulator.field.source')}
          <select name="sourceCode" value={f.sourceCode} onChange={set('sourceCode')}>
            {sources.data?.items.map((s) => (
              <option key={s.code} value={s.code}>
                {i18n.language === 'en' ? s.nameEn : s.nameZh}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('regulator.field.referralNumber')}
          <input
            name="referralNumber"
            required
            maxLength={60}
            value={f.referralNumber}
            onChange={set('referralNumber')}
          />
        </label>
        <label>
          {t('regulator.field.category')}
          <select name="category" value={f.category} onChange={set('category')}>
            {APPEAL_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`regulator.category.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('regulator.field.receivedOn')}
          <input name="receivedOn" type="date" required value={f.receivedOn} onChange={set('receivedOn')} />
        </label>
        <label>
          {t('regulator.field.deadline')}
          <input name="deadline" type="date" required value={f.deadline} onChange={set('deadline')} />
        </label>
        <label>
          {t('regulator.field.appealedOn')}
          <input name="appealedOn" type="date" value={f.appealedOn} onChange={set('appealedOn')} />
          <small className="muted">{t('regulator.field.appealedOnHelp')}</small>
        </label>
        <label>
          {t('regulator.field.matterOn')}
          <input name="matterOn" type="date" value={f.matterOn} onChange={set('matterOn')} />
        </label>
        <label>
          {t('regulator.field.appellantName')}
          <input name="appellantName" required maxLength={100} value={f.name} onChange={set('name')} />
        </label>
        <label>
          {t('regulator.field.appellantPhone')}
          <input name="appellantPhone" required inputMode="tel" value={f.msisdn} onChange={set('msisdn')} />
        </label>
        <label>
          {t('regulator.field.respondentUnit')}
          <input
            name="respondentUnit"
            required
            maxLength={200}
            value={f.respondentUnit}
            onChange={set('respondentUnit')}
          />
        </label>
        <label className="wide">
          {t('regulator.field.claim')}
          <textarea name="claim" required rows={3} maxLength={4000} value={f.claim} onChange={set('claim')} />
        </label>
        <label className="wide">
          {t('regulator.field.facts')}
          <textarea name="facts" required rows={5} maxLength={10000} value={f.facts} onChange={set('facts')} />
        </label>
        <ErrorText error={create.error} />
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? t('regulator.submitting') : t('regulator.submit')}
        </button>
      </form>
    </section>
  );
}

function ClockLine({ label, clock }: { label: string; clock: Referral['clocks']['report'] }) {
  const { t, i18n } = useTranslation();
  const fmt = (iso: string) => formatDateTime(iso, i18n.language);
  return (
    <li>
      <strong>{label}</strong>{' '}
      {clock.metAt ? (
        t('regulator.met', { at: fmt(clock.metAt) })
      ) : (
        <span className={clock.breachedAt ? 'error' : undefined}>
          {clock.dueAt ? t('regulator.due', { at: fmt(clock.dueAt) }) : '—'}
          {clock.breachedAt ? ` · ${t('regulator.breached')}` : ''}
        </span>
      )}
    </li>
  );
}

function ReferralCase({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const referral = useQuery({ queryKey: ['referral', id], queryFn: () => regulatorApi.get(id) });
  const update = (r: Referral) => {
    client.setQueryData(['referral', id], r);
    void client.invalidateQueries({ queryKey: ['referrals'] });
  };
  const [note, setNote] = useState('');
  const [reply, setReply] = useState({ text: '', repliedOn: today() });
  const [reason, setReason] = useState('');
  const contact = useMutation({ mutationFn: () => regulatorApi.firstContact(id, { note }), onSuccess: update });
  const answer = useMutation({ mutationFn: () => regulatorApi.reply(id, reply), onSuccess: update });
  const pack = useMutation({
    mutationFn: (masked: boolean) => regulatorApi.generatePack(id, masked ? {} : { masked: false, reason }),
    onSuccess: update,
  });
  const r = referral.data;
  if (!r) return <ErrorText error={referral.error} />;
  const fmt = (iso: string) => formatDateTime(iso, i18n.language);
  const can = (a: Referral['abilities'][number]) => r.abilities.includes(a);
  return (
    <section className="referrals referral-case">
      <p>
        <Link to="/referrals">← {t('regulator.back')}</Link>
      </p>
      <h1>
        {i18n.language === 'en' ? r.source.nameEn : r.source.nameZh} · {r.referralNumber}
      </h1>
      <p>
        <span className="badge">{t(`regulator.status.${r.status}`)}</span>{' '}
        <span className="badge">{t(`regulator.category.${r.category}`)}</span> {t('regulator.field.ticket')}{' '}
        <Link to={`/tickets/${r.ticket.id}`}>{r.ticket.number}</Link>
      </p>
      <div className="referral-grid">
        <div>
          <h2>{t('regulator.facts')}</h2>
          <dl>
            <dt>{t('regulator.field.customer')}</dt>
            <dd>{r.customerName}</dd>
            <dt>{t('regulator.field.contactNumber')}</dt>
            <dd>{r.contactNumber ?? '—'}</dd>
            <dt>{t('regulator.field.respondentUnit')}</dt>
            <dd>{r.respondentUnit}</dd>
            <dt>{t('regulator.field.receivedOn')}</dt>
            <dd>{r.receivedOn}</dd>
            <dt>{t('regulator.field.appealedOn')}</dt>
            <dd>{r.appealedOn}</dd>
            <dt>{t('regulator.field.deadline')}</dt>
            <dd>{r.deadline}</dd>
            <dt>{t('regulator.field.matterOn')}</dt>
            <dd>{r.matterOn ?? '—'}</dd>
            <dt>{t('regulator.field.claim')}</dt>
            <dd className="pre">{r.claim}</dd>
            <dt>{t('regulator.field.facts')}</dt>
            <dd className="pre">{r.facts}</dd>
          </dl>
        </div>
        <div>
          <h2>{t('regulator.hints')}</h2>
          {r.hints.length === 0 ? (
            <p className="muted">{t('regulator.noHints')}</p>
          ) : (
            <ul className="hints" data-hints>
              {r.hints.map((h) => (
                <li key={h} className="warning">
                  {t(`regulator.hint.${h}`)}
                </li>
              ))}
            </ul>
          )}
          <p className="muted">{t('regulator.hintNote')}</p>
          <h2>{t('regulator.clocks')}</h2>
          <ul className="clocks">
            <ClockLine label={t('regulator.firstContactClock')} clock={r.clocks.firstContact} />
            <ClockLine label={t('regulator.reportClock')} clock={r.clocks.report} />
          </ul>
          <h2>{t('regulator.linked')}</h2>
          {r.linkedTickets.length === 0 ? (
            <p className="muted">{t('regulator.noLinked')}</p>
          ) : (
            <ul>
              {r.linkedTickets.map((l) => (
                <li key={l.id}>
                  <Link to={`/tickets/${l.id}`}>{l.number}</Link> · {l.subject} · {fmt(l.createdAt)}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>

      <h2>{t('regulator.firstContact')}</h2>
      {r.firstContactAt ? (
        <p>{t('regulator.firstContactDone', { at: fmt(r.firstContactAt) })}</p>
      ) : can('record_contact') ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            contact.mutate();
          }}
        >
          <label className="wide">
            {t('regulator.firstContactNote')}
            <textarea name="contactNote" required rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <ErrorText error={contact.error} />
          <button type="submit" disabled={contact.isPending}>
            {t('regulator.firstContact')}
          </button>
        </form>
      ) : null}

      <h2>{t('regulator.packs')}</h2>
      {r.evidencePacks.length === 0 ? (
        <p className="muted">{t('regulator.noPacks')}</p>
      ) : (
        <ul className="packs">
          {r.evidencePacks.map((p) => (
            <li key={p.id} data-pack={p.id}>
              <a href={regulatorApi.packUrl(p.id)} download={p.fileName}>
                {p.fileName}
              </a>{' '}
              <span className="badge">{p.masked ? t('regulator.masked') : t('regulator.unmasked')}</span>{' '}
              {t('regulator.generatedBy', { by: p.generatedBy?.displayName ?? '—', at: fmt(p.generatedAt) })}
              <br />
              <small className="muted">
                {t('regulator.packContents', {
                  messages: p.contents.messages,
                  events: p.contents.events,
                  calls: p.contents.calls,
                  attachments: p.contents.attachments,
                  linked: p.contents.linkedTickets,
                })}
              </small>
            </li>
          ))}
        </ul>
      )}
      {pack.isPending && <p className="muted">{t('regulator.generating')}</p>}
      <ErrorText error={pack.error} />
      {can('generate_pack') && (
        <p>
          <button type="button" name="generatePack" disabled={pack.isPending} onClick={() => pack.mutate(true)}>
            {t('regulator.generate')}
          </button>
        </p>
      )}
      {can('generate_unmasked_pack') && (
        <p>
          <label>
            {t('regulator.unmaskedReason')}{' '}
            <input name="unmaskedReason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>{' '}
          <button
            type="button"
            disabled={pack.isPending || reason.trim().length < 2}
            onClick={() => pack.mutate(false)}
          >
            {t('regulator.generateUnmasked')}
          </button>
        </p>
      )}

      <h2>{t('regulator.reply')}</h2>
      {r.reply ? (
        <>
          <p>
            {t('regulator.replied', {
              on: r.reply.repliedOn,
              by: r.reply.recordedBy?.displayName ?? '—',
              at: fmt(r.reply.recordedAt),
            })}
          </p>
          <p className="pre">{r.reply.text}</p>
        </>
      ) : can('record_reply') ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            answer.mutate();
          }}
        >
          <label className="wide">
            {t('regulator.replyText')}
            <textarea
              name="replyText"
              required
              rows={4}
              value={reply.text}
              onChange={(e) => setReply({ ...reply, text: e.target.value })}
            />
          </label>
          <label>
            {t('regulator.repliedOn')}
            <input
              name="repliedOn"
              type="date"
              required
              value={reply.repliedOn}
              onChange={(e) => setReply({ ...reply, repliedOn: e.target.value })}
            />
          </label>
          <ErrorText error={answer.error} />
          <button type="submit" disabled={answer.isPending}>
            {t('regulator.recordReply')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
