import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/auth/policy.js';
import { moveArticle } from '../../src/usecases/knowledge/review-article.js';
import { createArticle } from '../../src/usecases/knowledge/save-article.js';
import { searchKnowledge } from '../../src/usecases/knowledge/search.js';
import { FIXTURE_ARTICLES, FIXTURE_QUERIES } from '../fixtures/knowledge/search-fixture.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness } from '../helpers/harness.js';

// Ranking on a Chinese fixture set: for each query, the article a person would want comes first.

describe.each(ENGINES)('knowledge search ranking on %s', (engine) => {
  let h: Harness;
  let agent: Actor;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    h = await startHarness(engine);
    const author = await h.buildStaff('agent');
    const editor = await h.buildStaff('expert');
    agent = await h.buildStaff('agent');
    for (const a of FIXTURE_ARTICLES) {
      const id = await createArticle(h.deps, author, {
        title: a.title,
        body: `<p>${a.body}</p>`,
        category: '',
        tags: [],
        audience: 'public',
        region: null,
        effectiveFrom: null,
        effectiveUntil: null,
        symptom: '',
        cause: '',
        resolution: '',
      });
      await moveArticle(h.deps, author, id, { action: 'submit', baseVersion: 1 });
      await moveArticle(h.deps, editor, id, { action: 'approve', baseVersion: 1 });
      await moveArticle(h.deps, editor, id, { action: 'publish', baseVersion: 1 });
      ids.set(a.key, id);
    }
  });
  afterAll(() => h?.close());

  const keyOf = (id: string) => [...ids].find(([, v]) => v === id)?.[0];

  it.each(FIXTURE_QUERIES)('ranks the expected article first for «$q» ($why)', async ({ q, top }) => {
    const res = await searchKnowledge(h.deps, agent, { q, offset: 0, limit: 5 });
    expect(res.items.map((i) => keyOf(i.id))[0]).toBe(top);
    // The first hit's snippet or title marks at least one matched word.
    expect([...res.items[0]!.title, ...res.items[0]!.snippet].some((p) => p.hit)).toBe(true);
  });

  it('finds nothing for a query of stop words only', async () => {
    expect((await searchKnowledge(h.deps, agent, { q: '我的 怎么 了', offset: 0, limit: 5 })).items).toEqual([]);
  });
});
