import type { TFunction } from 'i18next';
import type { MacroActions } from '../../api/replies';

/** What a macro does, as short phrases: "状态 → 等待客户", "标签 + 待回访", "等级 → 重大", "内部备注". */
export function describeActions(
  actions: MacroActions,
  t: TFunction,
  gradeLabel: (code: string) => string = (code) => code,
): string[] {
  return [
    ...(actions.status ? [t('replies.does.status', { action: t(`action.${actions.status}`) })] : []),
    ...(actions.addTags?.length ? [t('replies.does.tags', { tags: actions.addTags.join('、') })] : []),
    ...(actions.grade ? [t('replies.does.grade', { grade: gradeLabel(actions.grade) })] : []),
    ...(actions.note ? [t('replies.does.note')] : []),
  ];
}
