import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PLACEHOLDERS } from '../../../src/core/replies/placeholders';
import { ApiError } from '../api/client';
import {
  createReply,
  deleteReply,
  listReplies,
  updateReply,
  type MacroActions,
  type Reply,
  type ReplyScope,
} from '../api/replies';
import { TICKET_ACTIONS, type TicketAction } from '../api/types';
import { ErrorText } from '../components/ErrorText';
import { ListFooter } from '../components/ListFooter';
import { describeActions } from '../features/replies/describeActions';
import { useGrades } from '../features/tickets/useGrades';
import { useTeams } from '../features/tickets/useTeams';
import { formatDateTime } from '../i18n';

type Editing = { kind: 'new' } | { kind: 'edit'; reply: Reply } | null;

/** Managed replies and macros: mine, my team's and the global ones; changed by those who manage them. */
export default function RepliesPage() {
  const { t, i18n } = useTranslation();
  const grades = useGrades();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [scope, setScope] = useState<ReplyScope | ''>('');
  const [kind, setKind] = useState<'reply' | 'macro' | ''>('');
  const [editing, setEditing] = useState<Editing>(null);
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const params = { q: q || undefined, scope: scope || undefined, kind: kind || undefined };
  const list = useInfiniteQuery({
    queryKey: ['replies', 'manage', params],
    queryFn: ({ pageParam }) => listReplies({ ...params, cursor: pageParam, limit: 25 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const creatable = list.data?.pages[0]?.creatableScopes ?? [];

  return (
    <section className="replies-page">
      <header className="inbox-head">
        <h1>{t('replies.title')}</h1>
        <span className="spacer" />
        {creatable.length > 0 && (
          <button type="button" className="primary" onClick={() => setEditing({ kind: 'new' })}>
            {t('replies.new')}
          </button>
        )}
      </header>
      {list.data && creatable.length === 0 && rows.length === 0 && <p className="empty">{t('replies.notForRole')}</p>}
      {editing && (
        <ReplyForm
          key={editing.kind === 'edit' ? editing.reply.id : 'new'}
          editing={editing}
          scopes={creatable}
          onDone={() => setEditing(null)}
        />
      )}
      <div className="filters">
        <input
          type="search"
          aria-label={t('replies.search')}
          placeholder={t('replies.search')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <select
          aria-label={t('replies.col.scope')}
          value={scope}
          onChange={(e) => setScope(e.target.value as ReplyScope | '')}
        >
          <option value="">{t('replies.anyScope')}</option>
          {(['personal', 'team', 'global'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`replies.scope.${s}`)}
            </option>
          ))}
        </select>
        <select
          aria-label={t('replies.kind.any')}
          value={kind}
          onChange={(e) => setKind(e.target.value as 'reply' | 'macro' | '')}
        >
          <option value="">{t('replies.kind.any')}</option>
          <option value="reply">{t('replies.kind.reply')}</option>
          <option value="macro">{t('replies.kind.macro')}</option>
        </select>
      </div>
      <ErrorText error={list.error} />
      <table>
        <thead>
          <tr>
            <th>{t('replies.col.name')}</th>
            <th>{t('replies.col.scope')}</th>
            <th>{t('replies.col.text')}</th>
            <th>{t('replies.col.does')}</th>
            <th>{t('replies.col.updated')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-reply={r.name}>
              <td>
                <strong>{r.name}</strong> {r.isMacro && <span className="badge macro">{t('replies.macro')}</span>}
              </td>
              <td>
                {t(`replies.scope.${r.scope}`)}
                {r.team && <span className="muted"> · {r.team.name}</span>}
              </td>
              <td className="reply-text">{r.body}</td>
              <td>{describeActions(r.actions, t, grades.label).join('，')}</td>
              <td className="muted">{formatDateTime(r.updatedAt, i18n.language, true)}</td>
              <td>
                {r.abilities.includes('edit') ? (
                  <button type="button" className="link" onClick={() => setEditing({ kind: 'edit', reply: r })}>
                    {t('replies.edit')}
                  </button>
                ) : (
                  <span className="muted" title={t('replies.readOnly')}>
                    🔒
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListFooter list={list} count={rows.length} empty={creatable.length > 0 ? t('replies.empty') : null} />
    </section>
  );
}

function ReplyForm({
  editing,
  scopes,
  onDone,
}: {
  editing: NonNullable<Editing>;
  scopes: ReplyScope[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const grades = useGrades();
  const existing = editing.kind === 'edit' ? editing.reply : null;
  const [scope, setScope] = useState<ReplyScope>(existing?.scope ?? scopes[0] ?? 'personal');
  const teams = useTeams({ enabled: scope === 'team' });
  const [teamId, setTeamId] = useState('');
  const [name, setName] = useState(existing?.name ?? '');
  const [body, setBody] = useState(existing?.body ?? '');
  const [status, setStatus] = useState<TicketAction | ''>(existing?.actions.status ?? '');
  const [tags, setTags] = useState((existing?.actions.addTags ?? []).join(', '));
  const [grade, setGrade] = useState(existing?.actions.grade ?? '');
  const [note, setNote] = useState(existing?.actions.note ?? '');
  const [confirming, setConfirming] = useState(false);
  const bodyBox = useRef<HTMLTextAreaElement>(null);
  const actions: MacroActions = {
    ...(status ? { status } : {}),
    ...(tags.trim()
      ? {
          addTags: tags
            .split(/[,，、]/)
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    ...(grade ? { grade } : {}),
    ...(note.trim() ? { note } : {}),
  };
  const finish = () => {
    void client.invalidateQueries({ queryKey: ['replies'] });
    onDone();
  };
  const save = useMutation({
    mutationFn: async (): Promise<void> => {
      if (existing) await updateReply(existing.id, { name, body, actions });
      else await createReply({ scope, name, body, actions, ...(scope === 'team' && teamId ? { teamId } : {}) });
    },
    onSuccess: finish,
  });
  const remove = useMutation({ mutationFn: () => deleteReply(existing!.id), onSuccess: finish });
  const fields = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const insertPlaceholder = (p: string) => {
    const box = bodyBox.current;
    const at = box?.selectionStart ?? body.length;
    setBody(body.slice(0, at) + `{{${p}}}` + body.slice(at));
    box?.focus();
  };

  return (
    <form
      className="panel reply-form"
      aria-label={existing ? t('replies.form.editTitle', { name: existing.name }) : t('replies.form.newTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>{existing ? t('replies.form.editTitle', { name: existing.name }) : t('replies.form.newTitle')}</h2>
      <div className="row">
        <label>
          {t('replies.form.name')}
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={60} />
          {fields.name && <span className="error">{fields.name}</span>}
        </label>
        <label>
          {t('replies.form.scope')}
          <select value={scope} disabled={Boolean(existing)} onChange={(e) => setScope(e.target.value as ReplyScope)}>
            {(existing ? [existing.scope] : scopes).map((s) => (
              <option key={s} value={s}>
                {t(`replies.scope.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {scope === 'team' && !existing && (
          <label>
            {t('replies.form.team')}
            <select value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              <option value="">—</option>
              {(teams.data?.items ?? []).map((tm) => (
                <option key={tm.id} value={tm.id}>
                  {tm.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <label className="wide">
        {t('replies.form.body')}
        <textarea ref={bodyBox} rows={4} value={body} onChange={(e) => setBody(e.target.value)} maxLength={5000} />
      </label>
      <p className="hint">
        {t('replies.form.bodyHint')}{' '}
        {PLACEHOLDERS.map((p) => (
          <button key={p} type="button" className="chip" onClick={() => insertPlaceholder(p)} title={`{{${p}}}`}>
            {t(`replies.placeholder.${p}`)}
          </button>
        ))}
      </p>
      <fieldset>
        <legend>{t('replies.form.macroTitle')}</legend>
        <div className="row">
          <label>
            {t('replies.form.status')}
            <select value={status} onChange={(e) => setStatus(e.target.value as TicketAction | '')}>
              <option value="">{t('replies.form.noStatus')}</option>
              {TICKET_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {t(`action.${a}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('replies.form.tags')}
            <input value={tags} onChange={(e) => setTags(e.target.value)} />
          </label>
          <label>
            {t('replies.form.grade')}
            <select value={grade} onChange={(e) => setGrade(e.target.value)}>
              <option value="">{t('replies.form.noGrade')}</option>
              {grades.items.map((g) => (
                <option key={g.code} value={g.code}>
                  {grades.label(g.code)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="wide">
          {t('replies.form.note')}
          <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={5000} />
        </label>
      </fieldset>
      <ErrorText error={save.error ?? remove.error} />
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending || !name.trim()}>
          {save.isPending ? t('replies.saving') : t('replies.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('replies.cancel')}
        </button>
        <span className="spacer" />
        {existing &&
          (confirming ? (
            <>
              <span>{t('replies.confirmDelete', { name: existing.name })}</span>
              <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
                {t('replies.delete')}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t('replies.cancel')}
              </button>
            </>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              {t('replies.delete')}
            </button>
          ))}
      </div>
    </form>
  );
}
