// Knowledge base, case library, search and suggestions (src/contracts/knowledge.ts).
import type { z } from 'zod';
import type {
  ArticleContent,
  ArticleDetail,
  KnowledgeSearchQuery,
  SearchHit,
  Suggestion,
  TicketSuggestions,
  VersionDiff,
  VersionView,
} from '../../../src/contracts/knowledge';
import { del, get, post, put, query } from './client';

const base = '/api/v1/knowledge';

export type { ArticleDetail, SearchHit, Suggestion, TicketSuggestions, VersionDiff, VersionView };
export type ArticleContentInput = z.input<typeof ArticleContent>;
export type SnippetPart = { text: string; hit: boolean };
export type SearchResult = { items: SearchHit[]; total: number; words: string[] };
export type SynonymGroup = { id: string; terms: string[] };

export const knowledgeApi = {
  search: (
    q: Partial<Omit<z.input<typeof KnowledgeSearchQuery>, 'offset' | 'limit'>> & { offset?: number; limit?: number },
  ) => get<SearchResult>(`${base}/search${query(q)}`),
  categories: () => get<{ items: { category: string; count: number }[] }>(`${base}/categories`),
  get: (id: string) => get<ArticleDetail>(`${base}/articles/${id}`),
  create: (content: ArticleContentInput) => post<ArticleDetail>(`${base}/articles`, { content }),
  save: (id: string, content: ArticleContentInput, baseVersion: number) =>
    put<ArticleDetail>(`${base}/articles/${id}`, { content, baseVersion }),
  move: (id: string, action: string, baseVersion: number, note?: string) =>
    post<ArticleDetail>(`${base}/articles/${id}/transitions`, { action, baseVersion, ...(note ? { note } : {}) }),
  verify: (id: string) => post<ArticleDetail>(`${base}/articles/${id}/verify`),
  versions: (id: string) => get<{ items: VersionView[] }>(`${base}/articles/${id}/versions`),
  diff: (id: string, from: number, to: number) => get<VersionDiff>(`${base}/articles/${id}/diff${query({ from, to })}`),
  restore: (id: string, number: number, baseVersion: number) =>
    post<ArticleDetail>(`${base}/articles/${id}/versions/${number}/restore`, { baseVersion }),
  suggestions: (ticketId: string) => get<TicketSuggestions>(`/api/v1/tickets/${ticketId}/knowledge-suggestions`),
  recordUse: (ticketId: string, articleId: string) =>
    post<void>(`/api/v1/tickets/${ticketId}/knowledge-usages`, { articleId }),
  proposeCase: (ticketId: string) => post<ArticleDetail>(`/api/v1/tickets/${ticketId}/case-proposal`),
  synonyms: () => get<{ items: SynonymGroup[] }>(`${base}/synonyms`),
  addSynonyms: (terms: string[]) => post<SynonymGroup>(`${base}/synonyms`, { terms }),
  updateSynonyms: (id: string, terms: string[]) => put<SynonymGroup>(`${base}/synonyms/${id}`, { terms }),
  deleteSynonyms: (id: string) => del(`${base}/synonyms/${id}`),
};

export type FaqItem = { id: string; title: SnippetPart[]; snippet: SnippetPart[]; category: string };
export type FaqArticle = { id: string; title: string; body: string; category: string; updatedAt: string };

/** The portal's FAQ: public, no sign-in. */
export const faqApi = {
  list: (q: { q?: string; category?: string; limit?: number }) =>
    get<{ items: FaqItem[]; categories: { category: string; count: number }[] }>(`/api/portal/v1/faq${query(q)}`),
  get: (id: string) => get<FaqArticle>(`/api/portal/v1/faq/${id}`),
  feedback: (id: string, helpful: boolean) => post<void>(`/api/portal/v1/faq/${id}/feedback`, { helpful }),
  /** Sent as the customer leaves (keepalive), so it arrives even when the page is closing. */
  deflection: (id: string) =>
    void fetch(`/api/portal/v1/faq/${id}/deflection`, { method: 'POST', keepalive: true, credentials: 'same-origin' }),
};
