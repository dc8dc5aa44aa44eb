import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { knowledgeApi, type ArticleContentInput, type ArticleDetail, type VersionDiff } from '../api/knowledge';
import type { StaffAbility } from '../api/types';
import { ErrorText } from '../components/ErrorText';
import { useParamsUpdate } from '../components/useParamsUpdate';
import { Highlighted } from '../features/knowledge/Highlighted';
import { formatDateTime, fromZonedInput, toZonedInput } from '../i18n';

const PAGE = 20;
const STATUSES = ['published', 'draft', 'in_review', 'approved', 'archived'] as const;

/** The knowledge base: search with snippets and filters, the review queue, one article with its workflow and versions. */
export default function KnowledgePage({ abilities }: { abilities: StaffAbility[] }) {
  const { id } = useParams();
  if (id === 'new') return <ArticleEditor abilities={abilities} />;
  return id ? <ArticleEditor id={id} abilities={abilities} /> : <KnowledgeSearch abilities={abilities} />;
}

function KnowledgeSearch({ abilities }: { abilities: StaffAbility[] }) {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const filters = {
    q: params.get('q') ?? undefined,
    kind: (params.get('kind') as 'article' | 'case' | null) ?? undefined,
    audience: (params.get('audience') as 'internal' | 'public' | null) ?? undefined,
    category: params.get('category') ?? undefined,
    status: (params.get('status') as (typeof STATUSES)[number] | null) ?? undefined,
    offset: Number(params.get('offset') ?? 0),
    limit: PAGE,
  };
  const update = useParamsUpdate();
  const set = (k: string, v: string | undefined) =>
    update(k === 'offset' ? { offset: v } : { [k]: v, offset: undefined });
  const result = useQuery({
    queryKey: ['knowledge', 'search', filters],
    queryFn: () => knowledgeApi.search(filters),
    placeholderData: keepPreviousData,
  });
  const categories = useQuery({ queryKey: ['knowledge', 'categories'], queryFn: knowledgeApi.categories });
  const canWrite = abilities.includes('write_knowledge');
  const total = result.data?.total ?? 0;
  return (
    <section className="knowledge">
      <header className="knowledge-head">
        <h1>{t('kb.title')}</h1>
        <nav className="tabs">
          <button type="button" aria-pressed={filters.status !== 'in_review'} onClick={() => set('status', undefined)}>
            {t('kb.status.published')}
          </button>
          {canWrite && (
            <button
              type="button"
              aria-pressed={filters.status === 'in_review'}
              onClick={() => set('status', 'in_review')}
            >
              {t('kb.reviewQueue')}
            </button>
          )}
        </nav>
        <span className="spacer" />
        {canWrite && (
          <Link className="button primary" to="/knowledge/new">
            {t('kb.newArticle')}
          </Link>
        )}
      </header>
      <p className="muted">{t('kb.intro')}</p>
      <form
        className="knowledge-filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          set('q', text.trim() || undefined);
        }}
      >
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('kb.search')}
          aria-label={t('kb.search')}
        />
        <button type="submit">{t('kb.searchButton')}</button>
        <select aria-label={t('kb.kindAll')} value={filters.kind ?? ''} onChange={(e) => set('kind', e.target.value)}>
          <option value="">{t('kb.kindAll')}</option>
          <option value="article">{t('kb.kind.article')}</option>
          <option value="case">{t('kb.kind.case')}</option>
        </select>
        <select
          aria-label={t('kb.audienceAll')}
          value={filters.audience ?? ''}
          onChange={(e) => set('audience', e.target.value)}
        >
          <option value="">{t('kb.audienceAll')}</option>
          <option value="internal">{t('kb.audience.internal')}</option>
          <option value="public">{t('kb.audience.public')}</option>
        </select>
        <select
          aria-label={t('kb.categoryAll')}
          value={filters.category ?? ''}
          onChange={(e) => set('category', e.target.value)}
        >
          <option value="">{t('kb.categoryAll')}</option>
          {categories.data?.items.map((c) => (
            <option key={c.category} value={c.category}>
              {c.category} ({c.count})
            </option>
          ))}
        </select>
        {canWrite && (
          <select
            aria-label={t('kb.statusFilter')}
            value={filters.status ?? ''}
            onChange={(e) => set('status', e.target.value)}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s === 'published' ? '' : s}>
                {t(`kb.status.${s}`)}
              </option>
            ))}
          </select>
        )}
      </form>
      <ErrorText error={result.error} />
      {result.isPending && <p className="loading">{t('list.loading')}</p>}
      {result.data && result.data.items.length === 0 && <p className="empty">{t('kb.empty')}</p>}
      <ol className="knowledge-results">
        {result.data?.items.map((hit) => (
          <li key={hit.id} data-article={hit.id}>
            <Link to={`/knowledge/${hit.id}`} className="knowledge-title">
              <Highlighted parts={hit.title} />
            </Link>{' '}
            <span className={`badge kb-${hit.kind}`}>{t(`kb.kind.${hit.kind}`)}</span>{' '}
            <span className="badge">{t(`kb.audience.${hit.audience}`)}</span>{' '}
            {hit.status !== 'published' && (
              <span className={`badge kb-status-${hit.status}`}>{t(`kb.status.${hit.status}`)}</span>
            )}{' '}
            {!hit.effective && <span className="badge kb-expired">{t('kb.notEffective')}</span>}
            <p className="snippet">
              <Highlighted parts={hit.snippet} />
            </p>
            <p className="muted small">
              {[hit.category, hit.region, ...hit.tags].filter(Boolean).join(' · ')}
              {' · '}
              {formatDateTime(hit.updatedAt, i18n.language, true)}
            </p>
          </li>
        ))}
      </ol>
      <div className="pager">
        <span className="muted">{t('kb.results', { total })}</span>
        <button
          type="button"
          disabled={filters.offset === 0}
          onClick={() => set('offset', String(Math.max(0, filters.offset - PAGE)))}
        >
          {t('kb.prev')}
        </button>
        <button
          type="button"
          disabled={filters.offset + PAGE >= total}
          onClick={() => set('offset', String(filters.offset + PAGE))}
        >
          {t('kb.next')}
        </button>
      </div>
    </section>
  );
}

const EMPTY: ArticleContentInput = {
  title: '',
  body: '',
  category: '',
  tags: [],
  audience: 'internal',
  region: null,
  effectiveFrom: null,
  effectiveUntil: null,
  symptom: '',
  cause: '',
  resolution: '',
};

function ArticleEditor({ id, abilities }: { id?: string; abilities: StaffAbility[] }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const article = useQuery({
    queryKey: ['knowledge', 'article', id],
    queryFn: () => knowledgeApi.get(id!),
    enabled: Boolean(id),
  });
  const a = article.data;
  if (id && !a)
    return article.error ? <ErrorText error={article.error} /> : <p className="loading">{t('list.loading')}</p>;
  return (
    <section className="knowledge article-editor">
      <p>
        <Link to="/knowledge">← {t('kb.back')}</Link>
      </p>
      {a ? <ArticleHeader article={a} /> : <h1>{t('kb.editorTitleNew')}</h1>}
      <div className="article-layout">
        <div>
          <ContentForm
            key={a ? `${a.id}-${a.working.number}` : 'new'}
            initial={a ? { ...a.working.content } : EMPTY}
            kind={a?.kind ?? 'article'}
            canSave={!a || a.abilities.includes('edit')}
            submitLabel={a ? t('kb.save') : t('kb.create')}
            onSave={async (content) => {
              if (!a) {
                const created = await knowledgeApi.create(content);
                void client.invalidateQueries({ queryKey: ['knowledge'] });
                void navigate(`/knowledge/${created.id}`);
                return;
              }
              const saved = await knowledgeApi.save(a.id, content, a.working.number);
              client.setQueryData(['knowledge', 'article', a.id], saved);
              void client.invalidateQueries({ queryKey: ['knowledge', 'versions', a.id] });
              void client.invalidateQueries({ queryKey: ['knowledge', 'search'] });
            }}
          />
          {a?.published && (
            <div className="card knowledge-preview">
              <h2>
                {t('kb.preview')} · {t('kb.publishedVersion', { n: a.published.number })}
              </h2>
              <h3>{a.published.content.title}</h3>
              {/* Sanitised by the server's allow-list. */}
              <div className="article-body" dangerouslySetInnerHTML={{ __html: a.published.content.body }} />
            </div>
          )}
        </div>
        {a && (
          <aside>
            <WorkflowPanel article={a} abilities={abilities} />
            <VersionsPanel article={a} lang={i18n.language} />
          </aside>
        )}
      </div>
    </section>
  );
}

function ArticleHeader({ article: a }: { article: ArticleDetail }) {
  const { t, i18n } = useTranslation();
  return (
    <header className="article-head">
      <h1>
        {a.working.content.title} <span className={`badge kb-${a.kind}`}>{t(`kb.kind.${a.kind}`)}</span>{' '}
        <span className={`badge kb-status-${a.status}`} data-status={a.status}>
          {t(`kb.status.${a.status}`)}
        </span>
        {a.live && <span className="badge kb-live"> {t('kb.live')}</span>}
      </h1>
      <p className="muted">
        {t('kb.workingVersion', {
          n: a.working.number,
          status: t(`kb.status.${a.status}`),
          author: a.working.author?.displayName ?? '—',
        })}
        {' · '}
        {a.published ? t('kb.publishedVersion', { n: a.published.number }) : t('kb.noPublished')}
        {' · '}
        {t('kb.owner')}: {a.owner?.displayName ?? '—'}
        {' · '}
        {t('kb.verifiedAt')}: {formatDateTime(a.verifiedAt, i18n.language, true)}
        {a.sourceTicket && (
          <>
            {' · '}
            {t('kb.sourceTicket')}: <Link to={`/tickets/${a.sourceTicket.id}`}>{a.sourceTicket.number}</Link>
          </>
        )}
      </p>
      <p className="muted small">
        {t('kb.feedback', { yes: a.feedback.helpful, no: a.feedback.notHelpful })} · {t('kb.usages', { n: a.usages })}
        {!a.effective && <span className="badge kb-expired"> {t('kb.notEffective')}</span>}
      </p>
    </header>
  );
}

function ContentForm(props: {
  initial: ArticleContentInput;
  kind: 'article' | 'case';
  canSave: boolean;
  submitLabel: string;
  onSave: (c: ArticleContentInput) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [c, setC] = useState(props.initial);
  const [tags, setTags] = useState((props.initial.tags ?? []).join(', '));
  const field = <K extends keyof ArticleContentInput>(k: K, v: ArticleContentInput[K]) =>
    setC((x) => ({ ...x, [k]: v }));
  const save = useMutation({
    mutationFn: () =>
      props.onSave({
        ...c,
        tags: tags
          .split(/[,，]/)
          .map((s) => s.trim())
          .filter(Boolean),
        region: c.region?.trim() ? c.region.trim() : null,
      }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="card article-form" onSubmit={submit}>
      <label>
        {t('kb.fieldTitle')}
        <input name="title" value={c.title} onChange={(e) => field('title', e.target.value)} required maxLength={200} />
      </label>
      {props.kind === 'case' && (
        <>
          <label>
            {t('kb.fieldSymptom')}
            <textarea
              name="symptom"
              rows={3}
              value={c.symptom ?? ''}
              onChange={(e) => field('symptom', e.target.value)}
            />
          </label>
          <label>
            {t('kb.fieldCause')}
            <textarea name="cause" rows={2} value={c.cause ?? ''} onChange={(e) => field('cause', e.target.value)} />
          </label>
          <label>
            {t('kb.fieldResolution')}
            <textarea
              name="resolution"
              rows={3}
              value={c.resolution ?? ''}
              onChange={(e) => field('resolution', e.target.value)}
            />
          </label>
        </>
      )}
      <label>
        {t('kb.fieldBody')}
        <textarea name="body" rows={8} value={c.body ?? ''} onChange={(e) => field('body', e.target.value)} />
      </label>
      <div className="form-row">
        <label>
          {t('kb.fieldCategory')}
          <input
            name="category"
            value={c.category ?? ''}
            onChange={(e) => field('category', e.target.value)}
            maxLength={40}
          />
        </label>
        <label>
          {t('kb.fieldTags')}
          <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} />
        </label>
        <label>
          {t('kb.fieldAudience')}
          <select
            name="audience"
            value={c.audience ?? 'internal'}
            onChange={(e) => field('audience', e.target.value as 'internal' | 'public')}
          >
            <option value="internal">{t('kb.audience.internal')}</option>
            <option value="public">{t('kb.audience.public')}</option>
          </select>
        </label>
      </div>
      <div className="form-row">
        <label>
          {t('kb.fieldRegion')}
          <input
            name="region"
            value={c.region ?? ''}
            onChange={(e) => field('region', e.target.value)}
            maxLength={40}
          />
        </label>
        <label>
          {t('kb.fieldFrom')}
          <input
            type="date"
            name="effectiveFrom"
            value={toZonedInput(c.effectiveFrom, 'date')}
            onChange={(e) => field('effectiveFrom', fromZonedInput(e.target.value))}
          />
        </label>
        <label>
          {t('kb.fieldUntil')}
          <input
            type="date"
            name="effectiveUntil"
            value={toZonedInput(c.effectiveUntil, 'date')}
            onChange={(e) => field('effectiveUntil', fromZonedInput(e.target.value))}
          />
        </label>
      </div>
      <ErrorText error={save.error} />
      {props.canSave && (
        <button type="submit" className="primary" disabled={save.isPending || !c.title.trim()}>
          {save.isPending ? t('kb.saving') : props.submitLabel}
        </button>
      )}
    </form>
  );
}

function WorkflowPanel({ article: a, abilities }: { article: ArticleDetail; abilities: StaffAbility[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const act = useMutation({
    mutationFn: (action: string) =>
      action === 'verify'
        ? knowledgeApi.verify(a.id)
        : knowledgeApi.move(a.id, action, a.working.number, note.trim() || undefined),
    onSuccess: (next) => {
      client.setQueryData(['knowledge', 'article', a.id], next);
      setNote('');
      void client.invalidateQueries({ queryKey: ['knowledge', 'versions', a.id] });
      void client.invalidateQueries({ queryKey: ['knowledge', 'search'] });
    },
  });
  const moves = (['submit', 'approve', 'reject', 'publish', 'archive', 'verify'] as const).filter((m) =>
    a.abilities.includes(m),
  );
  if (moves.length === 0) return null;
  const reviewing =
    abilities.includes('review_knowledge') && (a.abilities.includes('approve') || a.abilities.includes('reject'));
  return (
    <section className="panel workflow-panel">
      <h2>{t('kb.statusFilter')}</h2>
      {reviewing && (
        <label>
          {t('kb.reviewNote')}
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
        </label>
      )}
      <div className="actions">
        {moves.map((m) => (
          <button
            key={m}
            type="button"
            className={m === 'publish' || m === 'approve' || m === 'submit' ? 'primary' : undefined}
            disabled={act.isPending}
            onClick={() => act.mutate(m)}
          >
            {t(`kb.actions.${m}`)}
          </button>
        ))}
      </div>
      <ErrorText error={act.error} />
    </section>
  );
}

function VersionsPanel({ article: a, lang }: { article: ArticleDetail; lang: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const versions = useQuery({ queryKey: ['knowledge', 'versions', a.id], queryFn: () => knowledgeApi.versions(a.id) });
  const [pair, setPair] = useState<[number, number] | null>(null);
  const diff = useQuery({
    queryKey: ['knowledge', 'diff', a.id, pair],
    queryFn: () => knowledgeApi.diff(a.id, pair![0], pair![1]),
    enabled: pair !== null,
  });
  const restore = useMutation({
    mutationFn: (n: number) => knowledgeApi.restore(a.id, n, a.working.number),
    onSuccess: (next) => {
      client.setQueryData(['knowledge', 'article', a.id], next);
      void client.invalidateQueries({ queryKey: ['knowledge', 'versions', a.id] });
    },
  });
  const items = [...(versions.data?.items ?? [])].reverse();
  return (
    <section className="panel versions-panel">
      <h2>{t('kb.versions')}</h2>
      <ErrorText error={versions.error ?? restore.error} />
      <ol className="versions">
        {items.map((v) => (
          <li key={v.number} data-version={v.number}>
            <strong>{t('kb.version', { n: v.number })}</strong>{' '}
            {v.working && <span className="badge">{t('kb.isWorking')}</span>}{' '}
            {v.live && <span className="badge kb-live">{t('kb.isLive')}</span>}
            <div className="muted small">
              {v.author?.displayName} · {formatDateTime(v.createdAt, lang, true)}
              {v.restoredFrom !== null && ` · ${t('kb.restoredFrom', { n: v.restoredFrom })}`}
              {v.approvedAt && v.reviewer && ` · ${t('kb.approvedBy', { who: v.reviewer.displayName })}`}
              {v.publishedAt && ` · ${t('kb.publishedAt', { when: formatDateTime(v.publishedAt, lang, true) })}`}
              {v.reviewNote && ` · “${v.reviewNote}”`}
            </div>
            <div className="actions">
              {v.number > 1 && (
                <button type="button" className="link" onClick={() => setPair([v.number - 1, v.number])}>
                  {t('kb.compare')}
                </button>
              )}
              {!v.working && a.abilities.includes('restore') && (
                <button
                  type="button"
                  className="link"
                  disabled={restore.isPending}
                  onClick={() => restore.mutate(v.number)}
                >
                  {t('kb.restore')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
      {diff.data && <DiffView diff={diff.data} />}
      <ErrorText error={diff.error} />
    </section>
  );
}

function DiffView({ diff }: { diff: VersionDiff }) {
  const { t } = useTranslation();
  const show = (v: unknown): string =>
    Array.isArray(v) ? v.join(', ') : v === null || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
  const changed = diff.body.some((p) => p.op !== 'same') || diff.title.some((p) => p.op !== 'same');
  return (
    <div className="diff" data-testid="version-diff">
      <h3>{t('kb.diffTitle', { from: diff.from, to: diff.to })}</h3>
      {diff.fields.length > 0 && (
        <ul className="diff-fields">
          {diff.fields.map((f) => (
            <li key={f.field}>
              {f.field}: <del>{show(f.before)}</del> → <ins>{show(f.after)}</ins>
            </li>
          ))}
        </ul>
      )}
      {changed ? (
        <p className="diff-text">
          {[...diff.title, { op: 'same' as const, text: '\n' }, ...diff.body].map((p, i) =>
            p.op === 'added' ? (
              <ins key={i}>{p.text}</ins>
            ) : p.op === 'removed' ? (
              <del key={i}>{p.text}</del>
            ) : (
              <span key={i}>{p.text}</span>
            ),
          )}
        </p>
      ) : (
        <p className="muted">{t('kb.diffNone')}</p>
      )}
    </div>
  );
}
