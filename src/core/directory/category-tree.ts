// The category tree (分类树) as plain data: where a category may move without breaking the tree.

export type CategoryNode = { id: string; parentId: string | null };

/** The category and everything below it. */
export function subtreeOf(nodes: readonly CategoryNode[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const n of nodes) if (n.parentId) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n.id]);
  const seen = new Set<string>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return seen;
}

/**
 * Why a category cannot be placed under `parentId`, or null when it can: never under itself or
 * anything below it (the tree would become a loop), and only under a category that exists.
 */
export function moveProblem(
  nodes: readonly CategoryNode[],
  id: string,
  parentId: string | null,
): 'unknown_parent' | 'cycle' | null {
  if (parentId === null) return null;
  if (!nodes.some((n) => n.id === parentId)) return 'unknown_parent';
  return subtreeOf(nodes, id).has(parentId) ? 'cycle' : null;
}
