import { describe, expect, it } from 'vitest';
import {
  suggestClassification,
  type ClassifierCategory,
  type LabelledWords,
} from '../../src/core/tickets/classification.js';
import { TICKET_TYPES } from '../../src/core/tickets/types.js';
import { DEFAULT_CATEGORIES } from '../../src/db/reference-data.js';
import { segmentWords, tokenizeForSearch } from '../../src/text/segmenter.js';
import { labelledSet } from '../fixtures/classification/labelled.js';

// Accuracy of the classification suggestions on a held-out labelled set of 300 texts written for
// the tests. Each text is classified with the shipped category keywords and, as its similar
// resolved tickets, the other 299 (leave-one-out: a text is never its own neighbour). The figures
// are printed; the floors below make a regression fail.

const GRADES = ['general', 'major', 'urgent'];
const categories: ClassifierCategory[] = [];
const walk = (list: typeof DEFAULT_CATEGORIES) =>
  list.forEach((c) => {
    categories.push({ code: c.code, type: c.type, keywords: c.keywords.map((k) => segmentWords(k)) });
    walk(c.children ?? []);
  });
walk(DEFAULT_CATEGORIES);

const set = labelledSet();
const docs: (LabelledWords & { grade: string })[] = set.map((l) => ({
  words: tokenizeForSearch(l.text).split(' '),
  type: l.type,
  categoryCode: l.categoryCode,
  grade: l.grade,
}));

function evaluate(neighboursOf: (i: number) => LabelledWords[]) {
  const results = docs.map((doc, i) => ({
    doc,
    s: suggestClassification({ words: doc.words, categories, neighbours: neighboursOf(i), grades: GRADES }),
  }));
  const n = results.length;
  const top1 = results.filter((r) => r.s?.categories[0]?.code === r.doc.categoryCode).length / n;
  const top3 = results.filter((r) => r.s?.categories.some((c) => c.code === r.doc.categoryCode)).length / n;
  const typeAccuracy = results.filter((r) => r.s?.type.value === r.doc.type).length / n;
  const precision = Object.fromEntries(
    TICKET_TYPES.map((t) => {
      const predicted = results.filter((r) => r.s?.type.value === t);
      return [t, predicted.length ? predicted.filter((r) => r.doc.type === t).length / predicted.length : 0];
    }),
  );
  const recall = Object.fromEntries(
    TICKET_TYPES.map((t) => {
      const actual = results.filter((r) => r.doc.type === t);
      return [t, actual.filter((r) => r.s?.type.value === t).length / actual.length];
    }),
  );
  const grade = results.filter((r) => r.s?.grade.value === r.doc.grade).length / n;
  // Above the threshold a channel ticket takes the suggestion: how often is it then right?
  const confident = results.filter((r) => (r.s?.confidence ?? 0) >= 0.5);
  const confidentRight = confident.filter(
    (r) => r.s!.type.value === r.doc.type && r.s!.categories[0]?.code === r.doc.categoryCode,
  ).length;
  return {
    n,
    top1,
    top3,
    typeAccuracy,
    precision,
    recall,
    grade,
    appliedShare: confident.length / n,
    appliedRight: confident.length ? confidentRight / confident.length : 0,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const print = (name: string, r: ReturnType<typeof evaluate>) =>
  console.log(
    `classification ${name} on ${r.n} labelled texts: category top-1 ${pct(r.top1)}, top-3 ${pct(r.top3)}; ` +
      `type ${pct(r.typeAccuracy)} (precision ${TICKET_TYPES.map((t) => `${t} ${pct(r.precision[t]!)}`).join(', ')}; ` +
      `recall ${TICKET_TYPES.map((t) => `${t} ${pct(r.recall[t]!)}`).join(', ')}); grade ${pct(r.grade)}; ` +
      `applied at confidence ≥ 0.5 to ${pct(r.appliedShare)}, right ${pct(r.appliedRight)}`,
  );

describe('classification suggestions on the held-out labelled set', () => {
  it('has at least 300 labelled texts covering every leaf category', () => {
    expect(set.length).toBeGreaterThanOrEqual(300);
    const leaves = categories.filter((c) => !DEFAULT_CATEGORIES.some((p) => p.code === c.code && p.children));
    for (const c of leaves) expect(set.some((l) => l.categoryCode === c.code)).toBe(true);
  });

  it('finds the category in its top three for most texts with keywords and similar resolved tickets', () => {
    const r = evaluate((i) => docs.filter((_, j) => j !== i));
    print('with keywords and similar tickets (leave-one-out)', r);
    expect(r.top1).toBeGreaterThanOrEqual(0.7);
    expect(r.top3).toBeGreaterThanOrEqual(0.85);
    expect(r.typeAccuracy).toBeGreaterThanOrEqual(0.8);
    for (const t of TICKET_TYPES) expect(r.precision[t]).toBeGreaterThanOrEqual(0.7);
    expect(r.grade).toBeGreaterThanOrEqual(0.8);
    expect(r.appliedRight).toBeGreaterThanOrEqual(0.8);
  });

  it('still suggests from keywords alone on a new installation with no resolved tickets', () => {
    const r = evaluate(() => []);
    print('with keywords only (no resolved tickets)', r);
    expect(r.top3).toBeGreaterThanOrEqual(0.6);
    expect(r.typeAccuracy).toBeGreaterThanOrEqual(0.65);
  });
});
