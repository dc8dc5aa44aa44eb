import { asc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { richTextToPlain } from '../../core/knowledge/plain-text.js';
import { redactPersonalData, type KnownPersonalData } from '../../core/knowledge/redact.js';
import { statusAfterSave, type KnowledgeContent } from '../../core/knowledge/workflow.js';
import { isUniqueViolation } from '../admin/directory.js';
import { categories, customerNumbers, customers, kbArticles, ticketMessages } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from '../tickets/load-ticket.js';
import { contentColumns, insertVersion } from './store.js';

// "Propose as case" (案例库): a resolved ticket becomes a draft case with the personal data of its
// customer removed — the known name, numbers and address, and anything in the text that looks like
// a number, an ID number, an email address or a street address. An editor completes symptom,
// cause and resolution; the case then goes through the same review as an article.

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export async function proposeCase(deps: Deps, actor: Actor, ticketId: string): Promise<string> {
  const status = statusAfterSave(actor);
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      const { ticket } = await loadTicketFor(tx, actor, ticketId);
      if (ticket.status !== 'resolved' && ticket.status !== 'closed')
        throw new AppError('knowledge.ticket_not_resolved', 'Only a resolved or closed ticket can become a case', {
          status: ticket.status,
        });
      const [customer] = await tx.select().from(customers).where(eq(customers.id, ticket.customerId));
      const numbers = await tx
        .select({ msisdn: customerNumbers.msisdn })
        .from(customerNumbers)
        .where(eq(customerNumbers.customerId, ticket.customerId));
      const known: KnownPersonalData = {
        names: customer ? [customer.name] : [],
        numbers: [...numbers.map((n) => n.msisdn), ...(ticket.contactNumber ? [ticket.contactNumber] : [])],
        emails: [],
        addresses: [customer?.address, ticket.details.location].filter((a): a is string => Boolean(a)),
      };
      const clean = (text: string) => redactPersonalData(text, known);
      const messages = await tx
        .select()
        .from(ticketMessages)
        .where(eq(ticketMessages.ticketId, ticketId))
        .orderBy(asc(ticketMessages.createdAt));
      const conversation = messages
        .filter((m) => m.visibility === 'public')
        .map((m) => ({
          fromCustomer: m.fromCustomer,
          text: clean(m.bodyFormat === 'html' ? richTextToPlain(m.body) : m.body).trim(),
        }))
        .filter((m) => m.text);
      const lastAnswer = conversation.filter((m) => !m.fromCustomer).at(-1);
      const [category] = ticket.categoryId
        ? await tx.select().from(categories).where(eq(categories.id, ticket.categoryId))
        : [];
      const content: KnowledgeContent = {
        title: clean(ticket.subject).slice(0, 200),
        body: conversation
          .map((m) => `<p><strong>${m.fromCustomer ? '客户' : '客服'}：</strong>${escapeHtml(m.text)}</p>`)
          .join(''),
        category: category?.nameZh.slice(0, 40) ?? '',
        tags: ticket.tags.slice(0, 20),
        audience: 'internal',
        region: null,
        effectiveFrom: null,
        effectiveUntil: null,
        symptom: clean(ticket.description).slice(0, 5000),
        cause: '',
        resolution: (lastAnswer?.text ?? '').slice(0, 5000),
      };
      const id = uuidv7();
      await tx.insert(kbArticles).values({
        id,
        kind: 'case',
        status,
        ownerId: actor.id,
        sourceTicketId: ticketId,
        ...contentColumns(deps.indexText, content),
        verifiedAt: now,
        createdAt: now,
        updatedAt: now,
      });
      const versionId = await insertVersion(tx, { articleId: id, number: 1, content, authorId: actor.id, at: now });
      await tx.update(kbArticles).set({ workingVersionId: versionId }).where(eq(kbArticles.id, id));
      return id;
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      const [existing] = await deps.db
        .select({ id: kbArticles.id })
        .from(kbArticles)
        .where(eq(kbArticles.sourceTicketId, ticketId));
      throw new AppError('knowledge.case_exists', 'This ticket was already proposed as a case', {
        articleId: existing?.id,
      });
    }
    throw e;
  }
}
