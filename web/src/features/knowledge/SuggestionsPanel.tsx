import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { knowledgeApi, type Suggestion } from '../../api/knowledge';
import { ErrorText } from '../../components/ErrorText';
import { formatDateTime } from '../../i18n';
import { Highlighted } from './Highlighted';

/**
 * Knowledge suggested for this ticket: the top articles and similar cases for its subject and the
 * customer's latest message. The query key sits under ['ticket', id], so the ticket's live events
 * (the customer writing again) reload it. "Insert" puts the answer into the reply and records the use.
 */
export function SuggestionsPanel(props: {
  ticketId: string;
  canInsert: boolean;
  canProposeCase: boolean;
  onInsert: (text: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [inserted, setInserted] = useState<string | null>(null);
  const q = useQuery({
    queryKey: ['ticket', props.ticketId, 'knowledge'],
    queryFn: () => knowledgeApi.suggestions(props.ticketId),
  });
  const use = useMutation({
    mutationFn: (s: Suggestion) => knowledgeApi.recordUse(props.ticketId, s.id),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['ticket', props.ticketId] }),
  });
  const propose = useMutation({
    mutationFn: () => knowledgeApi.proposeCase(props.ticketId),
    onSuccess: (a) => void navigate(`/knowledge/${a.id}`),
  });
  const insert = (s: Suggestion) => {
    props.onInsert(s.answer);
    setInserted(s.id);
    use.mutate(s);
  };
  const list = (items: Suggestion[]) =>
    items.length === 0 ? (
      <p className="muted small">{t('kb.noSuggestions')}</p>
    ) : (
      <ol className="suggestions">
        {items.map((s) => (
          <li key={s.id} data-suggestion={s.id}>
            <Link to={`/knowledge/${s.id}`} className="suggestion-title">
              <Highlighted parts={s.title} />
            </Link>
            <p className="snippet small">
              <Highlighted parts={s.snippet} />
            </p>
            {props.canInsert && (
              <button type="button" className="link" onClick={() => insert(s)} disabled={use.isPending}>
                {inserted === s.id ? `✓ ${t('kb.inserted')}` : t('kb.insert')}
              </button>
            )}
          </li>
        ))}
      </ol>
    );
  const d = q.data;
  return (
    <section className="panel suggestions-panel" aria-labelledby="kb-suggestions-title">
      <h2 id="kb-suggestions-title">{t('kb.suggestions')}</h2>
      <p className="muted small">{t('kb.suggestionsHint')}</p>
      <ErrorText error={q.error ?? use.error ?? propose.error} />
      {d && (
        <>
          <h3>{t('kb.articles')}</h3>
          {list(d.articles)}
          <h3>{t('kb.cases')}</h3>
          {list(d.cases)}
          {d.used.length > 0 && (
            <>
              <h3>{t('kb.used')}</h3>
              <ul className="used small">
                {d.used.map((u, i) => (
                  <li key={`${u.articleId}-${i}`}>
                    <Link to={`/knowledge/${u.articleId}`}>{u.title}</Link>{' '}
                    <span className="muted">
                      {u.by?.displayName} · {formatDateTime(u.at, i18n.language, true)}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {props.canProposeCase && (
        <button type="button" onClick={() => propose.mutate()} disabled={propose.isPending}>
          {t('kb.proposeCase')}
        </button>
      )}
    </section>
  );
}
