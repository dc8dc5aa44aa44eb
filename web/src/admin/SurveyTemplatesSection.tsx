import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { placeholdersOf, renderSurveyMessage, type SurveyTemplateKind } from '../../../src/core/surveys/templates';
import { surveyTemplatesApi, type SurveyTemplates } from '../api/surveys';
import { ErrorText } from '../components/ErrorText';
import './admin-directory.css';

/** Sample values the preview fills in. */
const SAMPLE = { ticketNumber: 'TS20261128000123', link: `${location.origin}/portal/?survey=Xy7…` };

/** Survey texts per kind (channel) in Chinese and English, with a live preview, and the NPS-by-SMS switch. */
export default function SurveyTemplatesSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const data = useQuery({ queryKey: ['admin', 'survey-templates'], queryFn: surveyTemplatesApi.get });
  const nps = useMutation({
    mutationFn: surveyTemplatesApi.setSmsNps,
    onSuccess: (d) => client.setQueryData(['admin', 'survey-templates'], d),
  });
  return (
    <div className="dir-section survey-templates-section">
      <h2>{t('admin.surveyTemplates.title')}</h2>
      <p className="muted intro">{t('admin.surveyTemplates.intro')}</p>
      <ErrorText error={data.error ?? nps.error} />
      {data.data && (
        <>
          <section className="panel">
            <label className="check">
              <input
                type="checkbox"
                name="smsNps"
                checked={data.data.smsNps}
                disabled={nps.isPending}
                onChange={(e) => nps.mutate(e.target.checked)}
              />{' '}
              {t('admin.surveyTemplates.smsNps')}
            </label>
            <p className="muted">{t('admin.surveyTemplates.smsNpsHint')}</p>
          </section>
          {data.data.items.map((item) => (
            <TemplateForm key={item.kind} item={item} />
          ))}
        </>
      )}
    </div>
  );
}

function TemplateForm({ item }: { item: SurveyTemplates['items'][number] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [zh, setZh] = useState(item.zh);
  const [en, setEn] = useState(item.en);
  const save = useMutation({
    mutationFn: () => surveyTemplatesApi.save(item.kind, { zh, en }),
    onSuccess: (d) => client.setQueryData(['admin', 'survey-templates'], d),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const kind: SurveyTemplateKind = item.kind;
  const { allowed, required } = placeholdersOf(kind);
  const preview = renderSurveyMessage({ zh, en }, SAMPLE);
  const changed = zh !== item.zh || en !== item.en;
  return (
    <form className="panel survey-template" data-kind={kind} onSubmit={submit}>
      <h3>{t(`admin.surveyTemplates.kinds.${kind}`)}</h3>
      <p className="muted">
        {t('admin.surveyTemplates.placeholders', { list: allowed.map((p) => `{${p}}`).join(' ') })}
        {required.length > 0 &&
          ` · ${t('admin.surveyTemplates.required', { list: required.map((p) => `{${p}}`).join(' ') })}`}
      </p>
      <label>
        {t('admin.surveyTemplates.zh')}
        <textarea name="zh" rows={2} maxLength={500} value={zh} onChange={(e) => setZh(e.target.value)} />
      </label>
      <label>
        {t('admin.surveyTemplates.en')}
        <textarea name="en" rows={2} maxLength={500} value={en} onChange={(e) => setEn(e.target.value)} />
      </label>
      <p className="preview">
        <span className="muted">{t('admin.surveyTemplates.preview')}</span>{' '}
        <output>{preview || t('admin.surveyTemplates.emptyPreview')}</output>
        <span className="muted"> · {t('admin.surveyTemplates.chars', { n: [...preview].length })}</span>
      </p>
      <div className="dir-actions">
        <button type="submit" disabled={save.isPending || !changed}>
          {save.isPending ? t('admin.common.saving') : t('admin.common.save')}
        </button>
        {save.isSuccess && !changed && <span className="ok">{t('admin.common.saved')}</span>}
      </div>
      <ErrorText error={save.error} />
    </form>
  );
}
