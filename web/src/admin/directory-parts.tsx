import { useState } from 'react';
import { useTranslation } from 'react-i18next';

// Small pieces the directory sections share: client-side pages over a fetched list.

export const PAGE_SIZE = 15;

/** One page of `items`, and the controls to move between pages; resets when the list shrinks. */
export function usePaged<T>(items: readonly T[], size = PAGE_SIZE) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(page, pages - 1);
  return { rows: items.slice(current * size, (current + 1) * size), page: current, pages, setPage };
}

export function Pager(props: { page: number; pages: number; setPage: (p: number) => void }) {
  const { t } = useTranslation();
  if (props.pages <= 1) return null;
  return (
    <div className="dir-pager">
      <button type="button" disabled={props.page === 0} onClick={() => props.setPage(props.page - 1)}>
        {t('admin.common.prev')}
      </button>
      <span className="muted">{t('admin.common.page', { page: props.page + 1, pages: props.pages })}</span>
      <button type="button" disabled={props.page >= props.pages - 1} onClick={() => props.setPage(props.page + 1)}>
        {t('admin.common.next')}
      </button>
    </div>
  );
}

/** A comma-separated text field's values. */
export const splitList = (text: string): string[] =>
  text
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A text field of a submitted form ('' when absent). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
