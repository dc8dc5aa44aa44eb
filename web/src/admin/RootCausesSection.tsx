import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { callbacksApi, type RootCause } from '../api/callbacks';
import { ErrorText } from '../components/ErrorText';
import { formText, Pager, usePaged } from './directory-parts';
import './admin-directory.css';

const CODE_STYLE = { display: 'inline-block', width: '11rem', boxSizing: 'border-box' } as const;

/** The root causes callbacks are filed under: names in both languages, order, active or not. */
export default function RootCausesSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const causes = useQuery({ queryKey: ['admin', 'root-causes'], queryFn: () => callbacksApi.rootCauses(true) });
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: ['admin', 'root-causes'] });
    await client.invalidateQueries({ queryKey: ['root-causes'] });
  };
  const create = useMutation({ mutationFn: callbacksApi.createRootCause, onSuccess: refresh });
  const update = useMutation({
    mutationFn: (v: { code: string; body: Parameters<typeof callbacksApi.updateRootCause>[1] }) =>
      callbacksApi.updateRootCause(v.code, v.body),
    onSuccess: refresh,
  });
  const paged = usePaged(causes.data?.items ?? []);

  const submit = (e: FormEvent<HTMLFormElement>, cause: RootCause | null) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const position = formText(f, 'position');
    const body = {
      nameZh: formText(f, 'nameZh').trim(),
      nameEn: formText(f, 'nameEn').trim(),
      // Left empty on a new cause: it goes last.
      ...(position ? { position: Number(position) } : {}),
    };
    if (cause) update.mutate({ code: cause.code, body });
    else {
      create.mutate({ code: formText(f, 'code').trim(), ...body });
      e.currentTarget.reset();
    }
  };

  const row = (c: RootCause | null) => (
    <form
      key={c?.code ?? 'new'}
      className={`dir-actions root-cause${c && !c.active ? ' inactive' : ''}`}
      data-code={c?.code}
      onSubmit={(e) => submit(e, c)}
    >
      {c ? (
        <code className="muted" style={CODE_STYLE}>
          {c.code}
        </code>
      ) : (
        <input
          name="code"
          required
          style={CODE_STYLE}
          aria-label={t('admin.rootCauses.code')}
          placeholder={t('admin.rootCauses.code')}
          title={t('admin.rootCauses.codeHint')}
          pattern="[a-z][a-z0-9_]{1,39}"
        />
      )}
      <input
        name="nameZh"
        required
        maxLength={60}
        size={10}
        defaultValue={c?.nameZh}
        aria-label={t('admin.rootCauses.nameZh')}
        placeholder={t('admin.rootCauses.nameZh')}
      />
      <input
        name="nameEn"
        required
        maxLength={80}
        size={18}
        defaultValue={c?.nameEn}
        aria-label={t('admin.rootCauses.nameEn')}
        placeholder={t('admin.rootCauses.nameEn')}
      />
      <input
        name="position"
        type="number"
        min={0}
        max={10000}
        style={{ width: '5rem' }}
        defaultValue={c?.position ?? ''}
        aria-label={t('admin.rootCauses.position')}
        placeholder={t('admin.rootCauses.position')}
      />
      <button type="submit">{c ? t('admin.rootCauses.save') : t('admin.rootCauses.add')}</button>
      {c && (
        <>
          <span className={`dir-badge ${c.active ? 'on' : 'off'}`}>
            {c.active ? t('admin.rootCauses.active') : t('admin.rootCauses.inactive')}
          </span>
          <button
            type="button"
            disabled={update.isPending}
            onClick={() => update.mutate({ code: c.code, body: { active: !c.active } })}
          >
            {c.active ? t('admin.rootCauses.deactivate') : t('admin.rootCauses.activate')}
          </button>
        </>
      )}
    </form>
  );

  return (
    <div className="dir-section root-causes-section">
      <h2>{t('admin.rootCauses.title')}</h2>
      <p className="muted intro">{t('admin.rootCauses.intro')}</p>
      <ErrorText error={causes.error ?? create.error ?? update.error} />
      <section className="panel">
        {causes.data && causes.data.items.length === 0 && <p className="empty">{t('admin.rootCauses.empty')}</p>}
        {paged.rows.map((c) => row(c))}
        <Pager page={paged.page} pages={paged.pages} setPage={paged.setPage} />
        {row(null)}
        {(create.isSuccess || update.isSuccess) && <p className="ok">{t('admin.common.saved')}</p>}
      </section>
    </div>
  );
}
