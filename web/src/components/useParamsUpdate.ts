import { useSearchParams } from 'react-router';

/**
 * Changes some query parameters of the current address and keeps the rest. It reads the address
 * as it is now, not as the last render saw it: the router renders address changes in a
 * transition, so a filter picked just before a search is submitted has not rendered yet, and a
 * change built from the rendered parameters would silently drop it.
 */
export function useParamsUpdate(): (changes: Record<string, string | undefined>) => void {
  const [, setParams] = useSearchParams();
  return (changes) => {
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };
}
