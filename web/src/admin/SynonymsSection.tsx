import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { knowledgeApi, type SynonymGroup } from '../api/knowledge';
import { ErrorText } from '../components/ErrorText';

const split = (s: string) =>
  s
    .split(/[,，、/]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The synonym groups of knowledge search: words in one group stand for each other. */
export default function SynonymsSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['knowledge', 'synonyms'], queryFn: knowledgeApi.synonyms });
  const [draft, setDraft] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: ['knowledge', 'synonyms'] });
  const add = useMutation({
    mutationFn: () => knowledgeApi.addSynonyms(split(draft)),
    onSuccess: () => {
      setDraft('');
      void refresh();
    },
  });
  return (
    <section className="synonyms">
      <h2>{t('kb.synonymsTitle')}</h2>
      <p className="muted">{t('kb.synonymsIntro')}</p>
      <ErrorText error={list.error} />
      <table>
        <tbody>
          {list.data?.items.map((g) => (
            <SynonymRow key={g.id} group={g} onChanged={() => void refresh()} />
          ))}
        </tbody>
      </table>
      {list.data?.items.length === 0 && <p className="empty">{t('kb.synonymsEmpty')}</p>}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <label>
          {t('kb.synonymsTerms')}
          <input name="terms" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="光猫, 猫" />
        </label>
        <button type="submit" className="primary" disabled={add.isPending || split(draft).length < 2}>
          {t('kb.synonymsAdd')}
        </button>
      </form>
      <ErrorText error={add.error} />
    </section>
  );
}

function SynonymRow({ group, onChanged }: { group: SynonymGroup; onChanged: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => knowledgeApi.updateSynonyms(group.id, split(editing ?? '')),
    onSuccess: () => {
      setEditing(null);
      onChanged();
    },
  });
  const remove = useMutation({ mutationFn: () => knowledgeApi.deleteSynonyms(group.id), onSuccess: onChanged });
  return (
    <tr data-synonyms={group.terms.join('/')}>
      <td>
        {editing === null ? (
          group.terms.join(' / ')
        ) : (
          <input aria-label={t('kb.synonymsTerms')} value={editing} onChange={(e) => setEditing(e.target.value)} />
        )}
        <ErrorText error={save.error ?? remove.error} />
      </td>
      <td className="actions">
        {editing === null ? (
          <button type="button" className="link" onClick={() => setEditing(group.terms.join(', '))}>
            {t('kb.synonymsEdit')}
          </button>
        ) : (
          <button type="button" className="link" disabled={save.isPending} onClick={() => save.mutate()}>
            {t('kb.synonymsSave')}
          </button>
        )}
        <button type="button" className="link" disabled={remove.isPending} onClick={() => remove.mutate()}>
          {t('kb.synonymsDelete')}
        </button>
      </td>
    </tr>
  );
}
