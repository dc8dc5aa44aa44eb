import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { scoreReview, type ReviewScore } from '../../../../src/core/quality/scorecard';
import type { QaScorecard } from '../../api/qa';
import { ErrorText } from '../../components/ErrorText';
import './scoring.css';

export const labelOf = (l: { zh: string; en: string }, lang: string) => (lang === 'en' ? l.en : l.zh);

export type ScoringInput = { items: { itemId: string; points: number; comment?: string }[]; comment: string };

/**
 * One scorecard version as a form: a card per section, a row per item with its kind, weight and
 * scale, and a live preview of the score by the same formula the server applies (core/quality).
 * Used for samples (inspector workspace) and calibration sessions (admin console).
 */
export function ScoringForm({
  card,
  passMark,
  submitLabel,
  pending,
  error,
  done,
  onSubmit,
}: {
  card: QaScorecard;
  passMark: number;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  /** The score the server gave once submitted: the form then shows it and no button. */
  done: { score: number; passed: boolean; criticalFailed: boolean } | undefined;
  onSubmit: (input: ScoringInput) => void;
}) {
  const { t, i18n } = useTranslation();
  const items = card.definition.sections.flatMap((s) => s.items);
  const [points, setPoints] = useState<Record<string, string>>(
    Object.fromEntries(items.map((i) => [i.id, i.kind === 'bonus' ? '0' : String(i.maxPoints)])),
  );
  const [comments, setComments] = useState<Record<string, string>>({});
  const [overall, setOverall] = useState('');
  const input = items.map((i) => ({
    itemId: i.id,
    points: points[i.id] === '' || points[i.id] === undefined ? NaN : Number(points[i.id]),
    ...(comments[i.id] ? { comment: comments[i.id] } : {}),
  }));
  let preview: ReviewScore | null = null;
  try {
    preview = scoreReview(card.definition, input, passMark);
  } catch {
    preview = null;
  }
  const failedItems = new Set(preview?.items.filter((i) => i.criticalFailed).map((i) => i.itemId));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ items: input, comment: overall });
  };
  const verdict = (s: { score: number; passed: boolean; criticalFailed: boolean }) =>
    s.criticalFailed
      ? t('qa.criticalFailed')
      : t('qa.result', { score: s.score, verdict: s.passed ? t('qa.passed') : t('qa.failed') });

  return (
    <form onSubmit={submit} className="qa-form">
      <p className="muted qa-form-head">
        {t('qa.scorecard', { version: card.version, name: card.name })} · {t('qa.passMark', { mark: passMark })}
      </p>
      {card.definition.sections.map((section) => (
        <fieldset key={section.id} className="qa-section">
          <legend>{labelOf(section.label, i18n.language)}</legend>
          {section.items.map((item) => (
            <div
              key={item.id}
              className={`qa-item kind-${item.kind}${failedItems.has(item.id) ? ' critical-failed' : ''}`}
              data-item={item.id}
            >
              <span className="qa-item-label">
                {labelOf(item.label, i18n.language)}
                <span className={`qa-kind kind-${item.kind}`}>
                  {item.kind === 'critical'
                    ? t('qa.criticalBadge', { threshold: item.threshold ?? 100 })
                    : item.kind === 'bonus'
                      ? t('qa.bonusBadge', { points: item.bonusPoints ?? 0 })
                      : t('qa.weight', { w: item.weight })}
                </span>
              </span>
              <span className="qa-points">
                <input
                  type="number"
                  min={0}
                  max={item.maxPoints}
                  step={1}
                  aria-label={`${labelOf(item.label, i18n.language)} — ${t('qa.points', { max: item.maxPoints })}`}
                  title={t('qa.points', { max: item.maxPoints })}
                  value={points[item.id] ?? ''}
                  onChange={(e) => setPoints({ ...points, [item.id]: e.target.value })}
                />
                <span className="muted">/ {item.maxPoints}</span>
              </span>
              <input
                type="text"
                className="qa-item-comment"
                placeholder={t('qa.comment')}
                aria-label={`${labelOf(item.label, i18n.language)} — ${t('qa.comment')}`}
                value={comments[item.id] ?? ''}
                onChange={(e) => setComments({ ...comments, [item.id]: e.target.value })}
              />
            </div>
          ))}
        </fieldset>
      ))}
      <label className="qa-overall">
        {t('qa.overall')}
        <textarea value={overall} onChange={(e) => setOverall(e.target.value)} rows={3} />
      </label>
      <div className="qa-form-foot">
        {!done && (
          <output
            className={`qa-preview${preview && !preview.passed ? ' failed' : ''}`}
            data-preview={preview?.score ?? ''}
          >
            {preview
              ? t('qa.preview', {
                  text: preview.criticalFailed
                    ? t('qa.criticalFailed')
                    : t('qa.scoreVerdict', {
                        score: preview.score,
                        verdict: preview.passed ? t('qa.passed') : t('qa.failed'),
                      }),
                })
              : t('qa.previewIncomplete')}
          </output>
        )}
        {!done && (
          <button type="submit" className="primary" disabled={pending}>
            {submitLabel}
          </button>
        )}
        {done && (
          <p role="status" data-score={done.score} className={`qa-result${done.passed ? '' : ' failed'}`}>
            {verdict(done)}
          </p>
        )}
      </div>
      <ErrorText error={error} />
    </form>
  );
}
