import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchCategories } from '../../api/tickets';
import type { Category, Ticket } from '../../api/types';

/**
 * The category tree in reading order (each parent followed by its children), the categories a
 * ticket type may use (those of that type, and the ones for any type), and a name for an id.
 */
export function useCategories() {
  const { i18n } = useTranslation();
  const categories = useQuery({ queryKey: ['categories'], queryFn: fetchCategories, staleTime: 300_000 });
  const all = categories.data?.items ?? [];
  const ordered = all
    .filter((c) => !c.parentId)
    .flatMap((root) => [root, ...all.filter((c) => c.parentId === root.id)]);
  const name = (c: Category) => (i18n.language === 'en' ? c.nameEn : c.nameZh);
  return {
    loaded: Boolean(categories.data),
    error: categories.error,
    /** The same rule the server applies (ticket.category_type_mismatch): a typed category fits only its type. */
    fitting: (type: Ticket['type']) => ordered.filter((c) => c.ticketType === null || c.ticketType === type),
    name,
    /** The ticket type a category is restricted to (null: any type, or unknown). */
    typeOf: (id: string) => all.find((x) => x.id === id)?.ticketType ?? null,
    nameOf: (id: string | null | undefined) => {
      const c = id ? all.find((x) => x.id === id) : undefined;
      return c ? name(c) : null;
    },
  };
}
