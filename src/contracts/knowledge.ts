import { z } from 'zod';
import {
  ARTICLE_ABILITIES,
  KNOWLEDGE_AUDIENCES,
  KNOWLEDGE_KINDS,
  KNOWLEDGE_STATUSES,
  WORKFLOW_ACTIONS,
} from '../core/knowledge/workflow.js';
import { StaffRef } from './common.js';

// Knowledge base, case library, search and suggestions, portal FAQ (issue 15).

const Text = (max: number) => z.string().trim().max(max);
const Iso = z.iso.datetime({ offset: true });

/** What one version holds (the editor sends all of it with each save). */
export const ArticleContent = z.strictObject({
  title: Text(200).min(1),
  body: z.string().max(100_000).default('').describe('Rich text (HTML); shown through the allow-list sanitiser'),
  category: Text(40).default(''),
  tags: z.array(Text(40).min(1)).max(20).default([]),
  audience: z.enum(KNOWLEDGE_AUDIENCES).default('internal'),
  region: Text(40).min(1).nullable().default(null).describe('Province or city; null: everywhere'),
  effectiveFrom: Iso.nullable().default(null),
  effectiveUntil: Iso.nullable().default(null),
  symptom: Text(5000).default('').describe('Cases: what the customer experienced (现象)'),
  cause: Text(5000).default('').describe('Cases: why (原因)'),
  resolution: Text(5000).default('').describe('Cases: what solved it (处理)'),
});
export type ArticleContent = z.output<typeof ArticleContent>;

export const ArticleCreate = z.strictObject({ content: ArticleContent });
export const ArticleSave = z.strictObject({
  content: ArticleContent,
  baseVersion: z
    .number()
    .int()
    .min(1)
    .describe('The working version the edit started from; 409 when another save came first'),
});
export const ArticleTransition = z.strictObject({
  action: z.enum(WORKFLOW_ACTIONS),
  baseVersion: z.number().int().min(1),
  note: Text(1000).optional(),
});
export const VersionParams = z.strictObject({ id: z.uuid(), number: z.coerce.number().int().min(1) });
export const RestoreBody = z.strictObject({ baseVersion: z.number().int().min(1) });
export const DiffQuery = z.strictObject({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});

const ContentView = z.object({
  title: z.string(),
  body: z.string().describe('Sanitised HTML'),
  category: z.string(),
  tags: z.array(z.string()),
  audience: z.enum(KNOWLEDGE_AUDIENCES),
  region: z.string().nullable(),
  effectiveFrom: z.string().nullable(),
  effectiveUntil: z.string().nullable(),
  symptom: z.string(),
  cause: z.string(),
  resolution: z.string(),
});

export const ArticleDetail = z
  .object({
    id: z.uuid(),
    kind: z.enum(KNOWLEDGE_KINDS),
    status: z.enum(KNOWLEDGE_STATUSES).describe('The workflow state of the working copy'),
    live: z.boolean().describe('Whether a published version is live (while a newer draft may be edited)'),
    owner: StaffRef,
    sourceTicket: z.object({ id: z.uuid(), number: z.string() }).nullable(),
    working: z.object({ number: z.number().int(), content: ContentView, author: StaffRef, createdAt: z.string() }),
    published: z
      .object({ number: z.number().int(), content: ContentView, publishedAt: z.string().nullable() })
      .nullable(),
    verifiedAt: z.string(),
    effective: z.boolean(),
    feedback: z
      .object({ helpful: z.number().int(), notHelpful: z.number().int() })
      .describe('Portal answers, last 30 days'),
    usages: z.number().int().describe('How often agents inserted it into a reply'),
    abilities: z.array(z.enum(ARTICLE_ABILITIES)),
    updatedAt: z.string(),
  })
  .meta({ id: 'ArticleDetail' });
export type ArticleDetail = z.infer<typeof ArticleDetail>;

export const VersionView = z.object({
  number: z.number().int(),
  author: StaffRef,
  createdAt: z.string(),
  restoredFrom: z.number().int().nullable(),
  reviewer: StaffRef,
  approvedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
  live: z.boolean(),
  working: z.boolean(),
});
export const VersionList = z.object({ items: z.array(VersionView) });
export type VersionView = z.infer<typeof VersionView>;

export const DiffPart = z.object({ op: z.enum(['same', 'added', 'removed']), text: z.string() });
export const VersionDiff = z.object({
  from: z.number().int(),
  to: z.number().int(),
  fields: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  title: z.array(DiffPart),
  body: z.array(DiffPart).describe('The text of the body, word by word'),
});
export type VersionDiff = z.infer<typeof VersionDiff>;

/** Search over articles and cases. Without `status`, only published (live) ones. */
export const KnowledgeSearchQuery = z.strictObject({
  q: Text(500).optional(),
  kind: z.enum(KNOWLEDGE_KINDS).optional(),
  category: Text(40).optional(),
  audience: z.enum(KNOWLEDGE_AUDIENCES).optional(),
  region: Text(40).optional(),
  status: z.enum(KNOWLEDGE_STATUSES).optional(),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type KnowledgeSearchQuery = z.output<typeof KnowledgeSearchQuery>;

export const SnippetPart = z.object({ text: z.string(), hit: z.boolean() });
export const SearchHit = z
  .object({
    id: z.uuid(),
    kind: z.enum(KNOWLEDGE_KINDS),
    title: z.array(SnippetPart),
    snippet: z.array(SnippetPart),
    category: z.string(),
    tags: z.array(z.string()),
    audience: z.enum(KNOWLEDGE_AUDIENCES),
    region: z.string().nullable(),
    status: z.enum(KNOWLEDGE_STATUSES),
    live: z.boolean(),
    effective: z.boolean(),
    rank: z.number(),
    updatedAt: z.string(),
  })
  .meta({ id: 'KnowledgeSearchHit' });
export type SearchHit = z.infer<typeof SearchHit>;
export const SearchResult = z.object({
  items: z.array(SearchHit),
  total: z.number().int(),
  words: z.array(z.string()).describe('The query words searched for, synonyms included'),
});

export const Suggestion = SearchHit.extend({
  answer: z.string().describe('Plain text to insert into the reply (a case: its resolution)'),
});
export type Suggestion = z.infer<typeof Suggestion>;
export const TicketSuggestions = z
  .object({
    basedOn: z.object({ messageId: z.uuid().nullable() }).describe('The latest customer message read with the subject'),
    articles: z.array(Suggestion),
    cases: z.array(Suggestion),
    used: z.array(
      z.object({ articleId: z.uuid(), title: z.string(), kind: z.enum(KNOWLEDGE_KINDS), by: StaffRef, at: z.string() }),
    ),
  })
  .meta({ id: 'TicketSuggestions' });
export type TicketSuggestions = z.infer<typeof TicketSuggestions>;
export const UsageBody = z.strictObject({ articleId: z.uuid() });

export const SynonymGroup = z.object({ id: z.uuid(), terms: z.array(z.string()) });
export const SynonymList = z.object({ items: z.array(SynonymGroup) });
export const SynonymBody = z.strictObject({ terms: z.array(Text(40).min(1)).min(2).max(20) });

export const CategoryList = z.object({ items: z.array(z.object({ category: z.string(), count: z.number().int() })) });

/** The portal's FAQ: public, published, in force. */
export const FaqQuery = z.strictObject({
  q: Text(500).optional(),
  category: Text(40).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const FaqItem = z.object({
  id: z.uuid(),
  title: z.array(SnippetPart),
  snippet: z.array(SnippetPart),
  category: z.string(),
});
export const FaqList = z.object({ items: z.array(FaqItem), categories: CategoryList.shape.items });
export const FaqArticle = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string().describe('Sanitised HTML'),
  category: z.string(),
  updatedAt: z.string(),
});
export const FaqFeedbackBody = z.strictObject({ helpful: z.boolean() });
