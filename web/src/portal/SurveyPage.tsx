import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { surveysApi } from '../api/surveys';
import { ErrorText } from '../components/ErrorText';
import { formatDateTime } from '../i18n';

const DIMENSIONS = ['speed', 'quality', 'attitude', 'convenience'] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** A row of large buttons, one per score (a radio group, thumb-sized on a phone). */
function Scale(props: {
  name: string;
  label: string;
  hint?: string;
  from: number;
  to: number;
  value: number | null;
  onChange: (v: number) => void;
}) {
  const values = Array.from({ length: props.to - props.from + 1 }, (_, i) => props.from + i);
  return (
    <fieldset className="survey-scale" data-question={props.name}>
      <legend>{props.label}</legend>
      {props.hint && <p className="hint">{props.hint}</p>}
      <div className={`scale-buttons scale-${values.length}`} role="radiogroup" aria-label={props.label}>
        {values.map((v) => (
          <button
            key={v}
            type="button"
            role="radio"
            aria-checked={props.value === v}
            className={props.value === v ? 'chosen' : ''}
            onClick={() => props.onChange(v)}
          >
            {v}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

/** A closed survey (used, expired or unknown link): a clear page, not an error. */
function Closed({ title, text }: { title: string; text: string }) {
  return (
    <section className="card survey-closed" data-survey-state="closed">
      <h1>{title}</h1>
      <p>{text}</p>
    </section>
  );
}

/**
 * The satisfaction survey a customer opens from the link in a message (/portal/?survey=TOKEN):
 * overall satisfaction 1–5, likelihood to recommend 0–10, the four service dimensions and a
 * comment. Mobile first; no sign-in (the one-time link is the credential).
 */
export function SurveyPage({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const page = useQuery({ queryKey: ['survey', token], queryFn: () => surveysApi.page(token) });
  const [csat, setCsat] = useState<number | null>(null);
  const [nps, setNps] = useState<number | null>(null);
  const [dims, setDims] = useState<Partial<Record<Dimension, number>>>({});
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const answer = useMutation({
    mutationFn: () => surveysApi.answer(token, { csat: csat!, nps, ...dims, comment: comment.trim() || null }),
  });

  if (page.isPending) return <p className="loading">{t('list.loading')}</p>;
  if (page.error) {
    if (page.error instanceof ApiError && page.error.code === 'survey.not_found')
      return <Closed title={t('survey.invalid')} text={t('survey.invalidText')} />;
    return <ErrorText error={page.error} />;
  }
  const view = page.data;
  if (answer.isSuccess) return <Closed title={t('survey.thanks')} text={t('survey.thanksText')} />;
  const refused = answer.error instanceof ApiError ? answer.error.code : null;
  if (view.state === 'answered' || refused === 'survey.already_answered')
    return <Closed title={t('survey.answered')} text={t('survey.answeredText', { number: view.ticketNumber })} />;
  if (view.state === 'expired' || refused === 'survey.expired')
    return <Closed title={t('survey.expired')} text={t('survey.expiredText', { number: view.ticketNumber })} />;

  return (
    <form
      className="card survey"
      data-survey-state="open"
      onSubmit={(e) => {
        e.preventDefault();
        if (csat === null) {
          setMissing(true);
          return;
        }
        answer.mutate();
      }}
    >
      <h1>{t('survey.title')}</h1>
      <p>{t('survey.intro', { number: view.ticketNumber })}</p>
      <p className="subject">{view.subject}</p>
      <Scale
        name="csat"
        label={t('survey.csat')}
        hint={t('survey.csatScale')}
        from={1}
        to={5}
        value={csat}
        onChange={(v) => {
          setCsat(v);
          setMissing(false);
        }}
      />
      {missing && (
        <p className="error" role="alert">
          {t('survey.needCsat')}
        </p>
      )}
      <Scale
        name="nps"
        label={t('survey.nps')}
        hint={t('survey.npsScale')}
        from={0}
        to={10}
        value={nps}
        onChange={setNps}
      />
      <h2>{t('survey.dimensions')}</h2>
      {DIMENSIONS.map((d) => (
        <Scale
          key={d}
          name={d}
          label={t(`survey.dimension.${d}`)}
          from={1}
          to={5}
          value={dims[d] ?? null}
          onChange={(v) => setDims((all) => ({ ...all, [d]: v }))}
        />
      ))}
      <label>
        {t('survey.comment')}
        <textarea
          name="comment"
          rows={3}
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </label>
      <ErrorText error={answer.error} />
      <button type="submit" className="primary" disabled={answer.isPending}>
        {answer.isPending ? t('survey.sending') : t('survey.submit')}
      </button>
      <p className="hint">{t('survey.validUntil', { when: formatDateTime(view.expiresAt, i18n.language) })}</p>
    </form>
  );
}
