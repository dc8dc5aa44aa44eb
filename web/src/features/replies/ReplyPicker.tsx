import { useQuery } from '@tanstack/react-query';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listReplies, type Reply } from '../../api/replies';
import { useGrades } from '../tickets/useGrades';
import { describeActions } from './describeActions';

export type ReplyPickerHandle = { focus(): void };

/**
 * Search managed replies and macros from the composer, by keyboard: type words (Chinese is
 * segmented by the server, prefixes match), ↑/↓ to move, Enter to insert, Esc to leave.
 */
export const ReplyPicker = forwardRef<ReplyPickerHandle, { onPick: (reply: Reply) => void; onLeave: () => void }>(
  function ReplyPicker({ onPick, onLeave }, ref) {
    const { t } = useTranslation();
    const grades = useGrades();
    const input = useRef<HTMLInputElement>(null);
    const [text, setText] = useState('');
    const [q, setQ] = useState('');
    const [open, setOpen] = useState(false);
    const [active, setActive] = useState(0);
    useImperativeHandle(ref, () => ({ focus: () => input.current?.focus() }));
    useEffect(() => {
      const timer = setTimeout(() => setQ(text.trim()), 200);
      return () => clearTimeout(timer);
    }, [text]);
    const found = useQuery({
      queryKey: ['replies', 'search', q],
      queryFn: () => listReplies({ q: q || undefined, limit: 8 }),
      enabled: open,
      staleTime: 30_000,
    });
    const items = found.data?.items ?? [];
    // The list shows what was typed (not an earlier search still on screen).
    const settled = q === text.trim() && !found.isFetching && found.data !== undefined;
    const [pickWhenSettled, setPickWhenSettled] = useState(false);
    useEffect(() => setActive(0), [q]);
    const pick = (reply: Reply | undefined) => {
      if (!reply) return;
      onPick(reply);
      setText('');
      setQ('');
      setOpen(false);
    };
    // Enter pressed before the results for the last words arrived picks from those results.
    useEffect(() => {
      if (pickWhenSettled && settled) {
        setPickWhenSettled(false);
        pick(items[active]);
      }
    });

    return (
      <div className="reply-picker">
        <input
          ref={input}
          type="search"
          role="combobox"
          aria-expanded={open}
          aria-controls="reply-picker-list"
          aria-label={t('replies.search')}
          placeholder={t('replies.searchHint')}
          value={text}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((i) => Math.min(i + 1, items.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((i) => Math.max(i - 1, 0));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              if (settled) pick(items[active]);
              else setPickWhenSettled(true);
            } else if (e.key === 'Escape') {
              setOpen(false);
              onLeave();
            }
          }}
        />
        {open && (
          <ul id="reply-picker-list" role="listbox" className="reply-results">
            {found.isPending && <li className="muted">{t('list.loading')}</li>}
            {!found.isPending && items.length === 0 && <li className="muted">{t('replies.noneFound')}</li>}
            {items.map((r, i) => (
              <li
                key={r.id}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(r);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <strong>{r.name}</strong>
                <span className="badge">{t(`replies.scope.${r.scope}`)}</span>
                {r.isMacro && <span className="badge macro">{t('replies.macro')}</span>}
                <span className="muted preview">
                  {r.isMacro ? describeActions(r.actions, t, grades.label).join('，') : ''}
                  {r.isMacro && r.body ? ' · ' : ''}
                  {r.body}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  },
);
