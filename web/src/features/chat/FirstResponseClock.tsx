import { useTranslation } from 'react-i18next';
import type { ChatClock } from '../../api/chat';
import { formatDuration } from '../../i18n';
import { useNow } from '../tickets/useNow';

/**
 * The first human response clock of a chat: the seconds left, a warning once the limit has passed
 * (or the server has marked the warning), and the time it took once the agent answered.
 */
export function FirstResponseClock(props: { clock: ChatClock; startedAt: string | null; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const now = useNow(1000);
  const { startedAt } = props;
  const { dueAt, firstHumanResponseAt: respondedAt, warnedAt, targetSeconds: limitSeconds } = props.clock;
  if (!dueAt) return null;
  if (respondedAt) {
    if (props.compact || !startedAt) return null;
    return (
      <span className="first-response done" data-clock="done">
        {t('deskChat.firstResponseDone', {
          time: formatDuration(Date.parse(respondedAt) - Date.parse(startedAt), i18n.language, true),
        })}
      </span>
    );
  }
  const left = Date.parse(dueAt) - now;
  if (left <= 0 || warnedAt)
    return (
      <span className="first-response warning" role="alert" data-clock="warning">
        ⚠ {t('deskChat.firstResponseWarning', { seconds: limitSeconds })}
      </span>
    );
  return (
    <span className={`first-response${left < 10_000 ? ' soon' : ''}`} data-clock="running">
      ⏱ {t('deskChat.firstResponse', { time: formatDuration(left + 999, i18n.language, true) })}
    </span>
  );
}
