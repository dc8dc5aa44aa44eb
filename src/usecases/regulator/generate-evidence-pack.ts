import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { canRevealPii, canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { evidenceDocument, type EvidenceDocument, type EvidenceFacts } from '../../core/regulator/evidence.js';
import {
  attachments,
  callRecords,
  customers,
  piiAccessLog,
  regulatorEvidencePacks,
  regulatorSources,
  staff,
  ticketEvents,
  ticketMessages,
  tickets,
  type EvidenceManifest,
} from '../../db/schema.js';
import type { AttachmentStorage } from '../../storage/attachment-storage.js';
import { numbersOf } from '../customers/customers.js';
import type { Deps } from '../deps.js';
import { recordEvent } from '../tickets/record-event.js';
import { getReferral, loadReferralFor } from './read-referrals.js';

/** Where Debian's fonts-noto-cjk puts the CJK font (scripts/test-env.sh installs it); the first that exists is used. */
const CJK_FONTS = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
];
/** A pack holds the case's attachments, so it may be larger than one attachment. */
const MAX_PACK_BYTES = 1024 * 1024 * 1024;

export type EvidenceDeps = Deps & { storage: AttachmentStorage; pdfCompress?: boolean };

/**
 * One action builds the evidence pack of a referral case: a ZIP with `summary.pdf` (case, timeline,
 * messages, call records, handling log, the linked first complaint, the reply), `summary.json` (the
 * same text), `manifest.json` and the case's attachments. Personal data is masked unless the
 * caller may reveal it and gives a reason (written to the access log). The ZIP goes to the
 * attachment storage and is kept on the case with who generated it and when.
 */
export async function generateEvidencePack(
  deps: EvidenceDeps,
  actor: Actor,
  referralId: string,
  input: { masked: boolean; reason?: string | undefined },
): Promise<string> {
  if (!input.masked && !canRevealPii(actor))
    throw new AppError('pii.reveal_not_allowed', 'Your role may not see unmasked personal data');
  if (!input.masked && !input.reason)
    throw new AppError('regulator.reason_required', 'Say why the pack carries unmasked personal data', {
      field: 'reason',
    });
  const now = deps.clock.now();
  const { referral, ticket, access } = await loadReferralFor(deps.db, actor, referralId);
  if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You cannot work this referral case');
  const detail = await getReferral(deps, actor, referralId);
  const facts = await loadFacts(deps, referral, ticket, detail);
  const doc = evidenceDocument(facts.evidence, input.masked, deps.timeZone);
  const manifest: EvidenceManifest = {
    masked: input.masked,
    messages: facts.evidence.messages.length,
    events: facts.evidence.events.length,
    calls: facts.evidence.calls.length,
    attachments: facts.files.map((f) => ({ id: f.id, fileName: f.fileName, size: f.size })),
    linkedTickets: detail.linkedTickets.map((t) => t.number),
  };

  const pdf = await renderPdf(doc, deps.pdfCompress ?? true);
  // archiver and pdfkit load on first use: most processes never build a pack (memory at start).
  const { ZipArchive } = await import('archiver');
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const out = new PassThrough();
  zip.pipe(out);
  zip.append(pdf, { name: 'summary.pdf', date: now });
  zip.append(JSON.stringify(doc, null, 2), { name: 'summary.json', date: now });
  zip.append(
    JSON.stringify({ referralNumber: referral.referralNumber, generatedAt: now.toISOString(), ...manifest }, null, 2),
    {
      name: 'manifest.json',
      date: now,
    },
  );
  for (const f of facts.files)
    zip.append(deps.storage.get(f.storageKey), {
      name: `attachments/${f.id}-${f.fileName}`,
      date: f.createdAt,
    });
  const id = uuidv7();
  const finalizing = zip.finalize();
  const [stored] = await Promise.all([deps.storage.put(id, out, MAX_PACK_BYTES), finalizing]);

  const fileName = `evidence-${referral.referralNumber.replace(/[^\w.-]+/g, '_')}-${now.toISOString().slice(0, 10)}.zip`;
  try {
    await deps.db.transaction(async (tx) => {
      await tx.insert(regulatorEvidencePacks).values({
        id,
        referralId,
        fileName,
        size: stored.size,
        sha256: stored.sha256,
        storageKey: id,
        masked: input.masked,
        manifest,
        generatedById: actor.id,
        generatedAt: now,
      });
      if (!input.masked) {
        await tx.insert(piiAccessLog).values(
          (['phone', 'id_number', 'address'] as const).map((field) => ({
            staffId: actor.id,
            customerId: referral.customerId,
            ticketId: ticket.id,
            field,
            reason: `evidence pack: ${input.reason}`,
            createdAt: now,
          })),
        );
      }
      await recordEvent(tx, {
        ticketId: ticket.id,
        actorId: actor.id,
        kind: 'regulator_case',
        at: now,
        data: { referralId, step: 'evidence_pack', packId: id, masked: input.masked },
      });
    });
  } catch (err) {
    await deps.storage.remove(id);
    throw err;
  }
  return id;
}

type Referral = Awaited<ReturnType<typeof loadReferralFor>>['referral'];
type Ticket = Awaited<ReturnType<typeof loadReferralFor>>['ticket'];
type Detail = Awaited<ReturnType<typeof getReferral>>;

async function loadFacts(deps: Deps, referral: Referral, ticket: Ticket, detail: Detail) {
  const db = deps.db;
  const [source] = await db.select().from(regulatorSources).where(eq(regulatorSources.code, referral.sourceCode));
  const [customer] = await db.select().from(customers).where(eq(customers.id, referral.customerId));
  const numbers = (await numbersOf(db, [referral.customerId])).get(referral.customerId) ?? [];
  const author = alias(staff, 'author');
  const messages = await db
    .select({ m: ticketMessages, author: author.displayName })
    .from(ticketMessages)
    .leftJoin(author, eq(author.id, ticketMessages.authorStaffId))
    .where(eq(ticketMessages.ticketId, ticket.id))
    .orderBy(asc(ticketMessages.createdAt));
  const actor = alias(staff, 'actor');
  const events = await db
    .select({ e: ticketEvents, actor: actor.displayName })
    .from(ticketEvents)
    .leftJoin(actor, eq(actor.id, ticketEvents.actorId))
    .where(eq(ticketEvents.ticketId, ticket.id))
    .orderBy(asc(ticketEvents.id));
  const agent = alias(staff, 'agent');
  const calls = await db
    .select({ c: callRecords, agent: agent.displayName })
    .from(callRecords)
    .leftJoin(agent, eq(agent.id, callRecords.agentId))
    .where(eq(callRecords.ticketId, ticket.id))
    .orderBy(asc(callRecords.createdAt));
  const first = detail.linkedTickets[0];
  const [firstTicket] = first ? await db.select().from(tickets).where(eq(tickets.id, first.id)) : [];
  const firstMessages = firstTicket
    ? await db
        .select()
        .from(ticketMessages)
        .where(and(eq(ticketMessages.ticketId, firstTicket.id), eq(ticketMessages.visibility, 'public')))
        .orderBy(asc(ticketMessages.createdAt))
    : [];
  const files = await db
    .select()
    .from(attachments)
    .where(inArray(attachments.ticketId, [ticket.id, ...(firstTicket ? [firstTicket.id] : [])]))
    .orderBy(asc(attachments.createdAt));

  const evidence: EvidenceFacts = {
    referral: {
      referralNumber: referral.referralNumber,
      sourceName: source?.nameZh ?? referral.sourceCode,
      receivedOn: referral.receivedOn,
      appealedOn: referral.appealedOn,
      deadline: referral.deadline,
      matterOn: referral.matterOn,
      respondentUnit: referral.respondentUnit,
      category: referral.category,
      claim: referral.claim,
      facts: referral.facts,
      firstContactAt: referral.firstContactAt,
      reply:
        referral.replyText && referral.repliedOn ? { text: referral.replyText, repliedOn: referral.repliedOn } : null,
    },
    hints: detail.hints,
    customer: {
      name: customer?.name ?? '',
      numbers,
      idNumber: customer?.idNumber ?? null,
      address: customer?.address ?? null,
    },
    ticket: {
      number: ticket.number,
      status: ticket.status,
      contactNumber: ticket.contactNumber,
      createdAt: ticket.createdAt,
    },
    events: events.map(({ e, actor: name }) => ({
      at: e.createdAt,
      actor: name,
      kind: e.kind,
      detail: eventDetail(e.data),
    })),
    messages: messages.map(({ m, author: name }) => ({
      at: m.createdAt,
      author: name,
      fromCustomer: m.fromCustomer,
      visibility: m.visibility,
      body: m.bodyFormat === 'html' ? stripTags(m.body) : m.body,
    })),
    calls: calls.map(({ c, agent: name }) => ({
      startedAt: c.startedAt,
      endedAt: c.endedAt,
      caller: c.caller,
      agent: name,
      recordingUrl: c.recordingUrl,
    })),
    firstComplaint: firstTicket
      ? {
          number: firstTicket.number,
          createdAt: firstTicket.createdAt,
          status: firstTicket.status,
          subject: firstTicket.subject,
          description: firstTicket.description,
          messages: firstMessages.map((m) => ({
            at: m.createdAt,
            fromCustomer: m.fromCustomer,
            body: m.bodyFormat === 'html' ? stripTags(m.body) : m.body,
          })),
        }
      : null,
    attachments: files.map((f) => ({ fileName: `${f.id}-${f.fileName}`, size: f.size })),
  };
  return { evidence, files };
}

/** The few facts of a timeline entry worth a line (its data holds no personal data by design). */
function eventDetail(data: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of ['from', 'to', 'step', 'metric', 'policyName', 'otherNumber', 'action'] as const) {
    const v = data[key];
    if (typeof v === 'string') parts.push(`${key}=${v}`);
  }
  return parts.join(' ');
}

const stripTags = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The summary as an A4 PDF in Noto Sans CJK; `compress: false` leaves the page streams readable (tests). */
async function renderPdf(doc: EvidenceDocument, compress: boolean): Promise<Buffer> {
  const font = CJK_FONTS.find((f) => existsSync(f));
  if (!font) throw new AppError('service.unavailable', 'The CJK font for PDF files is not installed (fonts-noto-cjk)');
  const { default: PDFDocument } = await import('pdfkit');
  const pdf = new PDFDocument({ size: 'A4', margin: 50, compress, info: { Title: doc.title } });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.font(font, 'NotoSansCJKsc-Regular');
  pdf.fontSize(15).text(doc.title);
  pdf
    .fontSize(9)
    .fillColor('#555')
    .text(doc.masked ? '个人信息已脱敏 Personal data masked' : '含完整个人信息 Contains full personal data');
  for (const s of doc.sections) {
    pdf.moveDown(0.8).fillColor('#000').fontSize(12).text(s.heading);
    pdf.moveDown(0.2).fontSize(9.5);
    for (const line of s.lines) pdf.text(line);
  }
  pdf.end();
  return done;
}
