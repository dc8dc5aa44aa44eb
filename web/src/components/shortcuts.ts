/** Whether a key press is for the page's one-key shortcuts: not typed into a field, not a Ctrl/⌘/Alt chord. */
export function isShortcutKey(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  const inField =
    !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
  return !inField && !e.ctrlKey && !e.metaKey && !e.altKey;
}
