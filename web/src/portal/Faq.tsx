import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { faqApi } from '../api/knowledge';
import { ErrorText } from '../components/ErrorText';
import { Highlighted } from '../features/knowledge/Highlighted';

/** The FAQ: public articles by category and search, each with "was this helpful?". No sign-in needed. */
export function Faq() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['faq', q, category],
    queryFn: () => faqApi.list({ q, category, limit: 20 }),
    placeholderData: keepPreviousData,
  });
  if (open) return <FaqArticleView id={open} onBack={() => setOpen(null)} />;
  return (
    <section className="card faq" aria-labelledby="faq-title">
      <h2 id="faq-title">{t('faq.title')}</h2>
      <form
        className="faq-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(text.trim());
        }}
      >
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('faq.search')}
          aria-label={t('faq.search')}
        />
        <button type="submit">{t('faq.searchButton')}</button>
      </form>
      <div className="faq-categories">
        <button type="button" aria-pressed={category === ''} onClick={() => setCategory('')}>
          {t('faq.all')}
        </button>
        {list.data?.categories.map((c) => (
          <button
            key={c.category}
            type="button"
            aria-pressed={category === c.category}
            onClick={() => setCategory(c.category)}
          >
            {c.category} ({c.count})
          </button>
        ))}
      </div>
      <ErrorText error={list.error} />
      {list.data?.items.length === 0 && <p className="muted">{t('faq.empty')}</p>}
      <ul className="faq-list">
        {list.data?.items.map((a) => (
          <li key={a.id} data-faq={a.id}>
            <button type="button" className="link faq-title" onClick={() => setOpen(a.id)}>
              <Highlighted parts={a.title} />
            </button>
            <p className="snippet small">
              <Highlighted parts={a.snippet} />
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function FaqArticleView({ id, onBack }: { id: string; onBack: () => void }) {
  const { t } = useTranslation();
  const article = useQuery({ queryKey: ['faq', 'article', id], queryFn: () => faqApi.get(id) });
  const vote = useMutation({ mutationFn: (helpful: boolean) => faqApi.feedback(id, helpful) });
  const a = article.data;
  return (
    <article className="card faq-article" data-faq-article={id}>
      <button type="button" className="link" onClick={onBack}>
        ← {t('faq.back')}
      </button>
      <ErrorText error={article.error} />
      {a && (
        <>
          <h2>{a.title}</h2>
          {/* Sanitised by the server's allow-list. */}
          <div className="article-body" dangerouslySetInnerHTML={{ __html: a.body }} />
          <div className="faq-helpful">
            {vote.isSuccess ? (
              <p className="ok" role="status">
                {t('faq.thanks')}
              </p>
            ) : (
              <>
                <span>{t('faq.helpful')}</span>{' '}
                <button type="button" onClick={() => vote.mutate(true)} disabled={vote.isPending}>
                  👍 {t('faq.yes')}
                </button>{' '}
                <button type="button" onClick={() => vote.mutate(false)} disabled={vote.isPending}>
                  👎 {t('faq.no')}
                </button>
              </>
            )}
            <ErrorText error={vote.error} />
          </div>
        </>
      )}
    </article>
  );
}

/**
 * Articles suggested while the customer describes a request (after a pause in typing). Opening one
 * and then leaving without submitting counts as a deflection: recorded when the form goes away
 * (another screen, or the page closing) unless the request was submitted.
 */
export function FaqSuggestions({ text, submitted }: { text: string; submitted: boolean }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const opened = useRef(new Set<string>());
  const done = useRef(submitted);
  done.current = submitted;
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim().slice(0, 200)), 400);
    return () => clearTimeout(timer);
  }, [text]);
  useEffect(() => {
    const leave = () => {
      if (done.current) return;
      for (const id of opened.current) faqApi.deflection(id);
      opened.current.clear();
    };
    window.addEventListener('pagehide', leave);
    return () => {
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, []);
  const list = useQuery({
    queryKey: ['faq', 'suggest', q],
    queryFn: () => faqApi.list({ q, limit: 3 }),
    enabled: q.length >= 2,
  });
  if (open)
    return (
      <div className="faq-suggested">
        <FaqArticleView id={open} onBack={() => setOpen(null)} />
      </div>
    );
  if (!list.data?.items.length) return null;
  return (
    <div className="faq-suggested" role="region" aria-label={t('faq.suggested')}>
      <p className="muted">{t('faq.suggested')}</p>
      <ul>
        {list.data.items.map((a) => (
          <li key={a.id}>
            <button
              type="button"
              className="link"
              data-suggested-faq={a.id}
              onClick={() => {
                opened.current.add(a.id);
                setOpen(a.id);
              }}
            >
              <Highlighted parts={a.title} />
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
