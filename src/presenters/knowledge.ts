import type { Actor } from '../core/auth/policy.js';
import { articleAbilities, isEffective, type KnowledgeContent } from '../core/knowledge/workflow.js';
import type { ArticleDetail } from '../contracts/knowledge.js';
import { sanitizeMessageHtml } from './messages.js';

// What a knowledge article looks like to one viewer: bodies only through the allow-list
// sanitiser, and the actions this viewer may take now (the workflow's own rules).

export const presentContent = (c: KnowledgeContent) => ({ ...c, body: sanitizeMessageHtml(c.body) });

type VersionData = {
  id: string;
  number: number;
  content: KnowledgeContent;
  authorId: string;
  createdAt: Date;
  publishedAt: Date | null;
};

export function presentArticle(
  viewer: Actor,
  d: {
    article: {
      id: string;
      kind: ArticleDetail['kind'];
      status: ArticleDetail['status'];
      publishedVersionId: string | null;
      effectiveFrom: Date | null;
      effectiveUntil: Date | null;
      verifiedAt: Date;
      updatedAt: Date;
    };
    working: VersionData;
    published: VersionData | null;
    owner: { id: string; displayName: string } | null;
    workingAuthor: { id: string; displayName: string } | null;
    sourceTicket: { id: string; number: string } | null;
    feedback: { helpful: number; notHelpful: number };
    usages: number;
    now: Date;
  },
): ArticleDetail {
  const a = d.article;
  const live = a.publishedVersionId !== null;
  return {
    id: a.id,
    kind: a.kind,
    status: a.status,
    live,
    owner: d.owner,
    sourceTicket: d.sourceTicket,
    working: {
      number: d.working.number,
      content: presentContent(d.working.content),
      author: d.workingAuthor,
      createdAt: d.working.createdAt.toISOString(),
    },
    published: d.published
      ? {
          number: d.published.number,
          content: presentContent(d.published.content),
          publishedAt: d.published.publishedAt?.toISOString() ?? null,
        }
      : null,
    verifiedAt: a.verifiedAt.toISOString(),
    effective: isEffective(a, d.now),
    feedback: d.feedback,
    usages: d.usages,
    abilities: articleAbilities(viewer, { status: a.status, workingAuthorId: d.working.authorId, live }),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** An FAQ article for a customer: its live title and sanitised text. */
export function presentFaqArticle(a: { id: string; title: string; body: string; category: string; updatedAt: Date }) {
  return {
    id: a.id,
    title: a.title,
    body: sanitizeMessageHtml(a.body),
    category: a.category,
    updatedAt: a.updatedAt.toISOString(),
  };
}
