import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { deskApi } from '../../api/desk';

/** The configured complaint grades (least severe first) and a label for any grade code. */
export function useGrades() {
  const { i18n } = useTranslation();
  const grades = useQuery({
    queryKey: ['grades'],
    queryFn: () => deskApi.grades(),
    staleTime: 600_000,
  });
  const items = grades.data?.items ?? [];
  const label = (code: string) => {
    const g = items.find((x) => x.code === code);
    return g ? (i18n.language === 'en' ? g.nameEn : g.nameZh) : code;
  };
  return { items, label };
}
