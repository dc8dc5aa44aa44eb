import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PHRASE_LISTS, REQUIRED_SLOTS, type PhraseList } from '../../../src/core/quality/phrases';
import { CHANNELS, type Channel } from '../../../src/core/tickets/types';
import { qualityApi, type PhraseEntry, type PhraseInput, type PhraseTest } from '../api/quality';
import { ErrorText } from '../components/ErrorText';
import { useGrades } from '../features/tickets/useGrades';
import './admin-directory.css';

const PAGE = 50;
const splitSynonyms = (text: string) =>
  text
    .split(/[,，、;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The phrase lists: risk words, required script phrases and forbidden phrases, each with synonyms. */
export default function PhrasesSection() {
  const { t } = useTranslation();
  const [list, setList] = useState<PhraseList>('risk');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<PhraseEntry | 'new' | null>(null);
  const client = useQueryClient();
  const page = useQuery({
    queryKey: ['admin', 'phrases', list, offset],
    queryFn: () => qualityApi.phrases(list, offset, PAGE),
  });
  const grades = useGrades();
  const remove = useMutation({
    mutationFn: (id: string) => qualityApi.deletePhrase(id),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['admin', 'phrases'] }),
  });
  const total = page.data?.total ?? 0;

  return (
    <div className="dir-section phrases-section">
      <h2>{t('phrases.title')}</h2>
      <p className="muted intro">{t('phrases.intro')}</p>
      <div className="dir-actions" role="tablist">
        {PHRASE_LISTS.map((l) => (
          <button
            key={l}
            type="button"
            role="tab"
            aria-selected={l === list}
            className={l === list ? 'primary' : ''}
            onClick={() => {
              setList(l);
              setOffset(0);
              setEditing(null);
            }}
          >
            {t(`phrases.lists.${l}`)}
          </button>
        ))}
      </div>
      <ErrorText error={page.error ?? remove.error} />
      <div className="dir-grid">
        <section className="panel">
          <table className="phrases">
            <thead>
              <tr>
                <th>{t('phrases.phrase')}</th>
                <th>{t('phrases.synonyms')}</th>
                {list === 'required' && <th>{t('phrases.slot')}</th>}
                {list !== 'risk' && <th>{t('phrases.channels')}</th>}
                {list === 'risk' && <th>{t('phrases.raiseGrade')}</th>}
                <th />
              </tr>
            </thead>
            <tbody>
              {page.data?.items.map((p) => (
                <tr key={p.id} data-phrase={p.phrase} className={p.enabled ? '' : 'muted'}>
                  <td>
                    <strong>{p.phrase}</strong>
                    {!p.enabled && <span className="dir-badge off">{t('phrases.disabled')}</span>}
                  </td>
                  <td>{p.synonyms.join('、') || '—'}</td>
                  {list === 'required' && <td>{p.slot ? t(`phrases.slots.${p.slot}`) : '—'}</td>}
                  {list !== 'risk' && (
                    <td>
                      {p.channels.length === 0
                        ? t('phrases.allChannels')
                        : p.channels.map((c) => t(`channel.${c}`)).join('、')}
                    </td>
                  )}
                  {list === 'risk' && <td>{p.raiseGrade ? grades.label(p.raiseGrade) : t('phrases.noRaise')}</td>}
                  <td className="dir-actions">
                    <button type="button" className="link" onClick={() => setEditing(p)}>
                      {t('phrases.edit')}
                    </button>
                    <button
                      type="button"
                      className="link danger"
                      disabled={remove.isPending}
                      onClick={() => {
                        if (window.confirm(t('phrases.confirmRemove', { phrase: p.phrase }))) remove.mutate(p.id);
                      }}
                    >
                      {t('phrases.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.isPending && <p className="loading">{t('list.loading')}</p>}
          {page.data?.items.length === 0 && <p className="empty">{t('phrases.empty')}</p>}
          <div className="pager dir-actions">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              {t('phrases.prev')}
            </button>
            <span className="muted">
              {total > 0 && t('phrases.range', { from: offset + 1, to: Math.min(offset + PAGE, total), total })}
            </span>
            <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
              {t('phrases.next')}
            </button>
          </div>
          {editing === null && (
            <button type="button" className="primary" onClick={() => setEditing('new')}>
              {t('phrases.add')}
            </button>
          )}
          {editing !== null && (
            <PhraseForm
              key={editing === 'new' ? `new-${list}` : editing.id}
              list={list}
              entry={editing === 'new' ? null : editing}
              onDone={() => setEditing(null)}
            />
          )}
        </section>
        <TryPhrases />
      </div>
    </div>
  );
}

function PhraseForm({ list, entry, onDone }: { list: PhraseList; entry: PhraseEntry | null; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const grades = useGrades();
  const [phrase, setPhrase] = useState(entry?.phrase ?? '');
  const [synonyms, setSynonyms] = useState(entry?.synonyms.join('、') ?? '');
  const [slot, setSlot] = useState(entry?.slot ?? 'greeting');
  const [channels, setChannels] = useState<Channel[]>(entry?.channels ?? []);
  const [raiseGrade, setRaiseGrade] = useState(entry?.raiseGrade ?? '');
  const [enabled, setEnabled] = useState(entry?.enabled ?? true);
  const save = useMutation({
    mutationFn: (body: PhraseInput) =>
      entry ? qualityApi.updatePhrase(entry.id, body) : qualityApi.createPhrase(body),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['admin', 'phrases'] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      list,
      phrase,
      synonyms: splitSynonyms(synonyms),
      slot: list === 'required' ? slot : null,
      channels: list === 'risk' ? [] : channels,
      raiseGrade: list === 'risk' && raiseGrade ? raiseGrade : null,
      enabled,
    });
  };
  return (
    <form className="dir-form phrase-form" onSubmit={submit}>
      <label>
        {t('phrases.phrase')}
        <input name="phrase" value={phrase} required maxLength={60} onChange={(e) => setPhrase(e.target.value)} />
      </label>
      <label>
        {t('phrases.synonyms')} <span className="muted">({t('phrases.synonymsHint')})</span>
        <input name="synonyms" value={synonyms} onChange={(e) => setSynonyms(e.target.value)} />
      </label>
      {list === 'required' && (
        <label>
          {t('phrases.slot')}
          <select name="slot" value={slot} onChange={(e) => setSlot(e.target.value as typeof slot)}>
            {REQUIRED_SLOTS.map((s) => (
              <option key={s} value={s}>
                {t(`phrases.slots.${s}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      {list !== 'risk' && (
        <fieldset>
          <legend>
            {t('phrases.channels')} <span className="muted">({t('phrases.allChannels')}: —)</span>
          </legend>
          {CHANNELS.map((c) => (
            <label key={c} className="inline">
              <input
                type="checkbox"
                checked={channels.includes(c)}
                onChange={(e) => setChannels(e.target.checked ? [...channels, c] : channels.filter((x) => x !== c))}
              />
              {t(`channel.${c}`)}
            </label>
          ))}
        </fieldset>
      )}
      {list === 'risk' && (
        <label>
          {t('phrases.raiseGrade')}
          <select name="raiseGrade" value={raiseGrade} onChange={(e) => setRaiseGrade(e.target.value)}>
            <option value="">{t('phrases.noRaise')}</option>
            {grades.items.map((g) => (
              <option key={g.code} value={g.code}>
                {grades.label(g.code)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="inline">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        {t('phrases.enabled')}
      </label>
      <ErrorText error={save.error} />
      <div className="dir-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('phrases.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('phrases.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Type a text and see how it segments, the risk words in it and how it fares as a reply. */
function TryPhrases() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [channel, setChannel] = useState<Channel>('hotline');
  const run = useMutation({ mutationFn: () => qualityApi.testPhrases(text, channel) });
  const result: PhraseTest | undefined = run.data;
  return (
    <section className="panel try-phrases">
      <h3>{t('phrases.tryTitle')}</h3>
      <form
        className="dir-form"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <textarea
          name="text"
          rows={3}
          value={text}
          placeholder={t('phrases.tryText')}
          aria-label={t('phrases.tryText')}
          onChange={(e) => setText(e.target.value)}
        />
        <label>
          {t('phrases.tryChannel')}
          <select value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!text.trim() || run.isPending}>
          {t('phrases.tryRun')}
        </button>
      </form>
      <ErrorText error={run.error} />
      {result && (
        <dl className="dir-env try-result">
          <dt>{t('phrases.tryWords')}</dt>
          <dd className="words">
            {result.words.map((w, i) => (
              <code key={i}>{w}</code>
            ))}
          </dd>
          <dt>{t('phrases.tryRisk')}</dt>
          <dd className="risk">{result.risk.length > 0 ? result.risk.join('、') : t('phrases.none')}</dd>
          <dt>{t('phrases.tryReply')}</dt>
          <dd className="reply">
            <span className={`dir-badge ${result.reply.compliant ? 'on' : 'off'}`}>
              {result.reply.compliant ? t('phrases.compliant') : t('phrases.notCompliant')}
            </span>
            {result.reply.missing.length > 0 && (
              <span>
                {' '}
                {t('phrases.missing', {
                  slots: result.reply.missing.map((s) => t(`phrases.slots.${s}`)).join('、'),
                })}
              </span>
            )}
            {result.reply.forbidden.length > 0 && (
              <span> {t('phrases.forbiddenFound', { phrases: result.reply.forbidden.join('、') })}</span>
            )}
          </dd>
        </dl>
      )}
    </section>
  );
}
