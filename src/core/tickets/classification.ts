import type { TicketType } from './types.js';
import { TICKET_TYPES } from './types.js';

// Classification suggestions: type, category and grade from a ticket's words (jieba, search mode).
// Two kinds of evidence, both explainable:
// - similar resolved tickets: the nearest neighbours by cosine similarity of idf-weighted words,
//   each voting for its final category with its similarity;
// - keywords: each category's keyword list (data an admin keeps) and a few cue words per type
//   (投诉 → complaint, 请问 → inquiry, 办理 → service request, 断网 → fault).
// The grade comes from the customer's words: escalation threats (工信部, 曝光, 起诉) make it the
// highest grade, repeated contact and anger (多次, 非常生气) the middle one.
// Pure: the caller segments the text and the keywords and loads the neighbours.

/** A resolved ticket as a neighbour: its words and how it was finally classified. */
export type LabelledWords = { words: readonly string[]; type: TicketType; categoryCode: string | null };

/** A category the suggestion may pick; each keyword given as its words (a phrase matches when all of its words occur). */
export type ClassifierCategory = { code: string; type: TicketType | null; keywords: readonly (readonly string[])[] };

export type ClassificationInput = {
  words: readonly string[];
  categories: readonly ClassifierCategory[];
  neighbours: readonly LabelledWords[];
  /** Grade codes from lowest to highest rank. */
  grades: readonly string[];
};

export type CategorySuggestion = {
  code: string;
  /** Share of the evidence, 0–1. */
  confidence: number;
  /** The keywords that matched (as written, words joined). */
  keywords: string[];
  /** How many of the nearest resolved tickets were filed under it. */
  similar: number;
};

export type ClassificationSuggestion = {
  type: { value: TicketType; confidence: number; cues: string[] };
  /** Best first, at most three, the first of the suggested type. */
  categories: CategorySuggestion[];
  grade: { value: string; cues: string[] };
  /** Confidence of the whole suggestion: the type's, times the first category's share within the type. */
  confidence: number;
};

/** How many nearest neighbours vote. */
const NEIGHBOURS = 10;
const KEYWORD_WEIGHT = 1;
const NEIGHBOUR_WEIGHT = 2;
const TYPE_CUE_WEIGHT = 1.5;

/** Words that say what kind of contact this is, whatever it is about. */
const TYPE_CUES: Readonly<Record<TicketType, readonly string[]>> = {
  complaint: [
    '投诉',
    '不满',
    '不满意',
    '赔偿',
    '恶劣',
    '申诉',
    '曝光',
    '推诿',
    '敷衍',
    '道歉',
    '乱扣费',
    '多扣',
    '退费',
    '退款',
    '要求',
  ],
  inquiry: ['请问', '咨询', '了解', '怎么', '如何', '多少', '什么', '哪些', '是否', '吗', '能否', '规定', '条件'],
  fault: [
    '故障',
    '坏',
    '断网',
    '掉线',
    '没有',
    '信号',
    '卡顿',
    '很慢',
    '打不开',
    '上不了',
    '连不上',
    '无服务',
    '红灯',
    '报修',
  ],
  service_request: [
    '办理',
    '开通',
    '申请',
    '注销',
    '销户',
    '取消',
    '变更',
    '预约',
    '安装',
    '新装',
    '拆机',
    '停机',
    '复机',
    '退订',
    '换成',
  ],
};

/** Words that call for the highest grade: the customer threatens to go to the regulator, the press or court. */
const URGENT_CUES = [
  '工信部',
  '通管局',
  '12300',
  '消协',
  '12315',
  '媒体',
  '记者',
  '曝光',
  '起诉',
  '律师',
  '法院',
  '报警',
];
/** Words that call for the middle grade on a complaint or a wide fault: repeat contact, anger, many affected. */
const MAJOR_CUES = [
  '多次',
  '两次',
  '三次',
  '第三次',
  '好几次',
  '几次',
  '非常',
  '生气',
  '恶劣',
  '嚣张',
  '赔偿',
  '退款',
  '退费',
  '整栋',
  '全村',
  '整个',
  '小区',
  '没人',
  '两天',
  '三天',
  '一个月',
  '半个月',
  '一周',
  '退回',
  '减免',
  '骗',
];

const round = (x: number) => Math.round(x * 1000) / 1000;

/** idf over the candidate pool (neighbours plus the text itself), smoothed so that no word weighs zero. */
function idfOf(docs: readonly (readonly string[])[]): (word: string) => number {
  const df = new Map<string, number>();
  for (const d of docs) for (const w of new Set(d)) df.set(w, (df.get(w) ?? 0) + 1);
  return (w) => Math.log(1 + docs.length / (df.get(w) ?? 1));
}

function weighted(words: readonly string[], idf: (w: string) => number): Map<string, number> {
  const v = new Map<string, number>();
  for (const w of new Set(words)) v.set(w, idf(w));
  return v;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [w, x] of a) {
    na += x * x;
    const y = b.get(w);
    if (y !== undefined) dot += x * y;
  }
  for (const y of b.values()) nb += y * y;
  return dot === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The nearest neighbours with a positive similarity, most similar first. */
function nearest(
  words: readonly string[],
  neighbours: readonly LabelledWords[],
  k = NEIGHBOURS,
): { doc: LabelledWords; similarity: number }[] {
  const idf = idfOf([words, ...neighbours.map((n) => n.words)]);
  const q = weighted(words, idf);
  return neighbours
    .map((doc) => ({ doc, similarity: cosine(q, weighted(doc.words, idf)) }))
    .filter((n) => n.similarity > 0)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}

const matches = (present: ReadonlySet<string>, phrase: readonly string[]) =>
  phrase.length > 0 && phrase.every((w) => present.has(w));

/**
 * Suggests a type, up to three categories and a grade for a text, or null when there is no
 * evidence at all (no keyword, no cue, no similar ticket): then nothing is suggested.
 */
export function suggestClassification(input: ClassificationInput): ClassificationSuggestion | null {
  const present = new Set(input.words);
  const typeCues = Object.fromEntries(
    TICKET_TYPES.map((t) => [t, TYPE_CUES[t].filter((w) => present.has(w))]),
  ) as Record<TicketType, string[]>;

  // Saying 投诉 is the clearest sign of a complaint (a complaint about slow data is not a fault report).
  const strong = (t: TicketType) => (t === 'complaint' && present.has('投诉') ? 2 : 0);
  const near = nearest(input.words, input.neighbours);
  const scores = input.categories.map((c) => {
    const keywords = c.keywords.filter((k) => matches(present, k)).map((k) => k.join(''));
    const votes = near.filter((n) => n.doc.categoryCode === c.code);
    const neighbourScore = votes.reduce((s, n) => s + n.similarity, 0);
    const cue = c.type ? Math.min(typeCues[c.type].length, 2) + strong(c.type) : 0;
    const own = KEYWORD_WEIGHT * keywords.length + NEIGHBOUR_WEIGHT * neighbourScore;
    return { category: c, keywords, similar: votes.length, own, score: own + TYPE_CUE_WEIGHT * cue };
  });
  const total = scores.reduce((s, c) => s + c.score, 0);

  // The type: the sum of its categories' scores; with no category evidence, its cue words alone.
  const typeScore = (t: TicketType) =>
    scores.filter((s) => s.category.type === t).reduce((sum, s) => sum + s.score, 0) +
    (total === 0 ? typeCues[t].length : 0);
  const typeTotal = TICKET_TYPES.reduce((s, t) => s + typeScore(t), 0);
  if (typeTotal === 0) return null;
  const type = [...TICKET_TYPES].sort((a, b) => typeScore(b) - typeScore(a))[0]!;
  const typeConfidence = typeScore(type) / typeTotal;

  const ranked = scores
    .filter((s) => s.own > 0)
    .sort((a, b) => Number(b.category.type === type) - Number(a.category.type === type) || b.score - a.score)
    .slice(0, 3);
  // How clearly the first category stands out among its type's on its own evidence (cues are shared by all of them).
  const withinType = scores.filter((s) => s.category.type === type).reduce((sum, s) => sum + s.own, 0);
  const first = ranked[0];
  const categoryShare = first && first.category.type === type && withinType > 0 ? first.own / withinType : 0;

  return {
    type: { value: type, confidence: round(typeConfidence), cues: typeCues[type] },
    categories: ranked.map((s) => ({
      code: s.category.code,
      confidence: round(total > 0 ? s.score / total : 0),
      keywords: s.keywords,
      similar: s.similar,
    })),
    grade: suggestGrade(input.words, type, input.grades),
    confidence: round(typeConfidence * categoryShare),
  };
}

/** The grade the customer's words call for, among the configured grades (lowest rank first). */
export function suggestGrade(
  words: readonly string[],
  type: TicketType,
  grades: readonly string[],
): { value: string; cues: string[] } {
  const present = new Set(words);
  const urgent = URGENT_CUES.filter((w) => present.has(w));
  const major = MAJOR_CUES.filter((w) => present.has(w));
  const pick = (level: number) => grades[Math.min(level, grades.length - 1)] ?? 'general';
  if (urgent.length > 0) return { value: pick(2), cues: urgent };
  if (major.length > 0 && (type === 'complaint' || type === 'fault')) return { value: pick(1), cues: major };
  return { value: pick(0), cues: [] };
}
