import { describe, expect, it } from 'vitest';
import { moveProblem, subtreeOf } from './category-tree.js';

const tree = [
  { id: 'fault', parentId: null },
  { id: 'network', parentId: 'fault' },
  { id: 'no-signal', parentId: 'network' },
  { id: 'billing', parentId: null },
];

describe('category tree', () => {
  it('finds a category and everything below it', () => {
    expect([...subtreeOf(tree, 'fault')].sort()).toEqual(['fault', 'network', 'no-signal']);
    expect([...subtreeOf(tree, 'billing')]).toEqual(['billing']);
  });
  it('moves a category under another branch or to the top', () => {
    expect(moveProblem(tree, 'network', 'billing')).toBeNull();
    expect(moveProblem(tree, 'no-signal', null)).toBeNull();
  });
  it('refuses to move a category under itself or its own descendants', () => {
    expect(moveProblem(tree, 'fault', 'fault')).toBe('cycle');
    expect(moveProblem(tree, 'fault', 'no-signal')).toBe('cycle');
  });
  it('refuses a parent that does not exist', () => {
    expect(moveProblem(tree, 'network', 'nowhere')).toBe('unknown_parent');
  });
});
