import { useTranslation } from 'react-i18next';
import type { TimelineEvent } from '../../api/types';
import { useGrades } from './useGrades';
import { useTeams } from './useTeams';

type RoutedData = Extract<TimelineEvent, { kind: 'routed' }>['data'];
type RuleEffect = NonNullable<RoutedData['matched']>[number]['effects'][number];

/**
 * A routing decision (the data of a `routed` timeline entry) as sentences in the desk's language,
 * with team names and grade labels. Entries written before decisions were kept as data fall back
 * to the server's English explanation.
 */
export function useRoutingText(): (data: RoutedData) => string[] {
  const { t } = useTranslation();
  const grades = useGrades();
  const teams = useTeams();
  const teamName = (code: string) => teams.data?.items.find((x) => x.code === code)?.name ?? code;
  const effect = (e: RuleEffect) => {
    switch (e.kind) {
      case 'queue':
        return t('routing.queue', { queue: teamName(e.queue) });
      case 'grade':
        return t('routing.grade', { from: grades.label(e.from), to: grades.label(e.to) });
      case 'priority':
        return t('routing.priority', { priority: e.priority });
      case 'tag':
        return t('routing.tag', { tag: e.tag });
      case 'sla_policy':
        return t('routing.slaPolicy', { policy: e.policy });
    }
  };
  return (data) => {
    const matched = data.matched;
    if (!matched) return data.explanation;
    const intake = data.intakeQueue ? [t('routing.intake', { queue: teamName(data.intakeQueue) })] : [];
    if (matched.length === 0) return intake.length ? intake : [t('routing.noMatch')];
    const lines = matched.map((m) =>
      t('routing.matched', {
        name: m.name,
        effects: m.effects.length ? m.effects.map(effect).join(t('routing.separator')) : t('routing.noChange'),
      }),
    );
    return [...lines, ...intake];
  };
}
