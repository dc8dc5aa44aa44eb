import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** What ListFooter reads of a TanStack infinite query. */
type PagedList = {
  isPending: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage(): Promise<unknown>;
};

/**
 * Under a list read page by page: "loading" at first, the empty message when nothing came (null:
 * none), how many are shown, and the button for the next page.
 */
export function ListFooter({ list, count, empty }: { list: PagedList; count: number; empty: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      {list.isPending && <p className="loading">{t('list.loading')}</p>}
      {!list.isPending && count === 0 && empty !== null && <p className="empty">{empty}</p>}
      <div className="pager">
        <span className="muted">{t('list.count', { count })}</span>
        {list.hasNextPage && (
          <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? t('list.loading') : t('list.more')}
          </button>
        )}
      </div>
    </>
  );
}
