import type { TFunction } from 'i18next';
import type { Notification } from '../../api/notifications';
import { formatDateTime } from '../../i18n';

/** One line saying what a notification is about, in the desk's language. */
export function describeNotification(n: Notification, t: TFunction, lang: string): string {
  const p = n.payload;
  const day = (v: unknown) => (typeof v === 'string' ? formatDateTime(v, lang, 'date') : '');
  const metric = typeof p.metric === 'string' ? t(`sla.metric.${p.metric}`, { defaultValue: p.metric }) : '';
  const title = typeof p.title === 'string' ? p.title : '';
  switch (n.kind) {
    case 'sla.warning':
      return t('inbox.kind.sla.warning', {
        metric,
        percent: Math.round((typeof p.fraction === 'number' ? p.fraction : 0) * 100),
      });
    case 'sla.breached':
      return t('inbox.kind.sla.breached', { metric });
    case 'subtask.assigned':
    case 'subtask.done':
    case 'subtask.cancelled':
      return t(`inbox.kind.${n.kind}`, { title });
    case 'call.unfiled':
      return t('inbox.kind.call.unfiled', { caller: typeof p.caller === 'string' ? p.caller : '' });
    case 'care.churn_high':
      return t('inbox.kind.care.churn_high', { score: typeof p.score === 'number' ? p.score : '' });
    case 'risk.alert':
      return t('inbox.kind.risk.alert', { words: Array.isArray(p.words) ? p.words.join('、') : '' });
    case 'training.certification_expiring':
      return t('inbox.kind.training.certification_expiring', {
        holder: typeof p.holder === 'string' ? p.holder : '',
        code: typeof p.code === 'string' ? t(`training.certificationNames.${p.code}`, { defaultValue: p.code }) : '',
        date: day(p.expiresAt),
      });
    case 'qa.review_submitted':
    case 'qa.dispute_opened':
    case 'qa.dispute_decided':
    case 'qa.coaching_due':
      return t(`inbox.kind.${n.kind}`, {
        number: typeof p.number === 'string' ? p.number : '',
        agent: typeof p.agent === 'string' ? p.agent : '',
        score: typeof p.score === 'number' ? p.score : typeof p.finalScore === 'number' ? p.finalScore : '',
      });
    case 'qa.training_assigned':
      return t('inbox.kind.qa.training_assigned', {
        agent: typeof p.agent === 'string' ? p.agent : '',
        course: typeof p.course === 'string' ? p.course : '',
        date: day(p.startsAt),
        failures: typeof p.failures === 'number' ? p.failures : '',
      });
    case 'note.mention':
      return t('inbox.kind.note.mention', { by: typeof p.by === 'string' ? p.by : '' });
    case 'callback.assigned':
      return t('inbox.kind.callback.assigned', {
        by: typeof p.by === 'string' ? p.by : '',
        number: typeof p.number === 'string' ? p.number : '',
      });
    case 'knowledge.review_due':
      return t('inbox.kind.knowledge.review_due', {
        title,
        reason: t(`inbox.knowledgeReason.${p.reason === 'unhelpful' ? 'unhelpful' : 'stale'}`),
      });
    case 'privacy.hold_ended':
      return t('inbox.kind.privacy.hold_ended', {
        reasons: Array.isArray(p.reasons)
          ? p.reasons.map((r) => t(`privacy.hold.${String(r)}`)).join(t('timeline.listSep'))
          : '',
        date: day(p.holdUntil),
      });
    default:
      return t('inbox.kind.other', { kind: n.kind });
  }
}
