import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import './admin-rules.css';

// Small form pieces the routing, SLA and calendar sections share: a set of checkboxes for a
// closed list (only legal values are offered), comma-separated free lists, and a pager.

export type Option = { value: string; label: string };

/** Checkboxes for a closed list; nothing ticked means "any". */
export function CheckList(props: {
  name: string;
  legend: string;
  options: Option[];
  value: readonly string[] | undefined;
  onChange(next: string[]): void;
}) {
  const chosen = new Set(props.value ?? []);
  return (
    <fieldset className="checklist" data-name={props.name}>
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label key={o.value} className="check">
          <input
            type="checkbox"
            name={props.name}
            value={o.value}
            checked={chosen.has(o.value)}
            onChange={(e) => {
              const next = new Set(chosen);
              if (e.target.checked) next.add(o.value);
              else next.delete(o.value);
              // Keep the options' order, so the saved list reads like the screen.
              props.onChange(props.options.map((x) => x.value).filter((v) => next.has(v)));
            }}
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

export const splitList = (text: string): string[] =>
  text
    .split(/[,，、\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A free list (keywords, tags, regions) typed as comma-separated text. */
export function ListInput(props: {
  name: string;
  label: string;
  value: readonly string[] | undefined;
  onChange(next: string[]): void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState((props.value ?? []).join(', '));
  return (
    <label>
      {props.label}
      <input
        name={props.name}
        value={text}
        placeholder={t('admin.routing.common.commaHint')}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(splitList(e.target.value));
        }}
      />
    </label>
  );
}

/** Client-side pages of a list that the API returns whole (rule sets and policies are small). */
export function usePages<T>(items: readonly T[], size = 20) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(page, pages - 1);
  return {
    offset: current * size,
    items: items.slice(current * size, current * size + size),
    pager: <Pager page={current} pages={pages} onPage={setPage} />,
    /** Shows the page that holds item `index` (after a move). */
    showIndex: (index: number) => setPage(Math.floor(index / size)),
  };
}

function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (p: number) => void }) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  return (
    <div className="pager">
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>
        {t('admin.routing.common.prev')}
      </button>
      <span>{t('admin.routing.common.page', { page: page + 1, pages })}</span>
      <button type="button" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
        {t('admin.routing.common.next')}
      </button>
    </div>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label>
      {label}
      {children}
    </label>
  );
}
