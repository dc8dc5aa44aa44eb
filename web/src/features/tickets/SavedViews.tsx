import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/ErrorText';
import { deskApi } from '../../api/desk';

/** The queue page's own address parameters that a view keeps (not paging or the list cursor). */
const VIEW_PARAMS = ['view', 'team', 'type', 'grade', 'status', 'q', 'sort'] as const;

const filtersOf = (params: URLSearchParams) =>
  Object.fromEntries(VIEW_PARAMS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
const sameFilters = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** "My views" in the queue sidebar: open one, save what the queue shows now under a name, delete one. */
export function SavedViews({
  params,
  open,
}: {
  params: URLSearchParams;
  open: (filters: Record<string, string>) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const views = useQuery({
    queryKey: ['saved-views'],
    queryFn: () => deskApi.savedViews(),
  });
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const current = filtersOf(params);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['saved-views'] });
  const save = useMutation({
    mutationFn: () => deskApi.saveView(name.trim(), current),
    onSuccess: async () => {
      setNaming(false);
      setName('');
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: deskApi.deleteView,
    onSuccess: refresh,
  });

  return (
    <div className="saved-views">
      <h3>{t('savedViews.title')}</h3>
      {views.data?.items.length === 0 && !naming && <p className="none muted">{t('savedViews.empty')}</p>}
      {views.data?.items.map((v) => (
        <div key={v.id} className="saved-view">
          <button
            type="button"
            className={sameFilters(v.filters, current) ? 'active' : ''}
            title={v.name}
            onClick={() => open(v.filters)}
          >
            <span>{v.name}</span>
          </button>
          <button
            type="button"
            className="remove"
            aria-label={t('savedViews.remove', { name: v.name })}
            title={t('savedViews.remove', { name: v.name })}
            onClick={() => remove.mutate(v.id)}
            disabled={remove.isPending}
          >
            ×
          </button>
        </div>
      ))}
      <ErrorText error={views.error ?? remove.error} />
      {naming ? (
        <form
          className="save-view"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <input
            autoFocus
            aria-label={t('savedViews.name')}
            placeholder={t('savedViews.name')}
            maxLength={40}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="primary" disabled={!name.trim() || save.isPending}>
            {save.isPending ? t('savedViews.saving') : t('savedViews.save')}
          </button>
          <button
            type="button"
            className="link"
            onClick={() => {
              setNaming(false);
              save.reset();
            }}
          >
            {t('savedViews.cancel')}
          </button>
          <ErrorText error={save.error} />
        </form>
      ) : (
        <button type="button" className="link add-view" onClick={() => setNaming(true)}>
          + {t('savedViews.add')}
        </button>
      )}
    </div>
  );
}
