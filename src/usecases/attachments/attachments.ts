import { eq } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import { canAddInternalNote, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { attachments } from '../../db/schema.js';
import { TooLargeError, type AttachmentStorage } from '../../storage/attachment-storage.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from '../tickets/load-ticket.js';
import { recordEvent } from '../tickets/record-event.js';

/** Types a service desk receives: photos of devices and bills, PDFs, office documents, call recordings. */
export const ALLOWED_ATTACHMENT_TYPES: Record<string, string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt', 'log'],
  'text/csv': ['csv'],
  'application/msword': ['doc'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.ms-excel': ['xls'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'audio/mpeg': ['mp3'],
  'audio/wav': ['wav'],
  'application/zip': ['zip'],
};

export type AttachmentDeps = Deps & { storage: AttachmentStorage; maxBytes: number };

export async function uploadAttachment(
  deps: AttachmentDeps,
  actor: Actor,
  ticketId: string,
  file: { fileName: string; contentType: string; stream: Readable },
) {
  const { access } = await loadTicketFor(deps.db, actor, ticketId);
  if (!canAddInternalNote(actor, access)) throw new AppError('auth.forbidden', 'You cannot add files to this ticket');
  return storeAttachment(deps, ticketId, file, actor.id);
}

/** Checks the type, streams the file to storage within the size limit, and records it (staff or, with null, the customer). */
export async function storeAttachment(
  deps: AttachmentDeps,
  ticketId: string,
  file: { fileName: string; contentType: string; stream: Readable },
  uploadedById: string | null,
) {
  const extension = file.fileName.split('.').pop()?.toLowerCase() ?? '';
  const allowedExtensions = ALLOWED_ATTACHMENT_TYPES[file.contentType];
  if (!allowedExtensions || !allowedExtensions.includes(extension)) {
    file.stream.resume(); // drain, so the connection can be reused
    throw new AppError(
      'attachment.type_not_allowed',
      `Files of type ${file.contentType} (.${extension}) are not accepted`,
      {
        allowed: Object.keys(ALLOWED_ATTACHMENT_TYPES),
      },
    );
  }
  const id = uuidv7();
  let stored: { size: number; sha256: string };
  try {
    stored = await deps.storage.put(id, file.stream, deps.maxBytes);
  } catch (err) {
    if (err instanceof TooLargeError || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('attachment.too_large', `A file may be at most ${Math.round(deps.maxBytes / 1048576)} MB`);
    }
    throw err;
  }
  const now = deps.clock.now();
  try {
    const [row] = await deps.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(attachments)
        .values({
          id,
          ticketId,
          fileName: file.fileName,
          contentType: file.contentType,
          ...stored,
          storageKey: id,
          uploadedById,
          createdAt: now,
        })
        .returning();
      await recordEvent(tx, {
        ticketId,
        actorId: uploadedById,
        kind: 'attachment_added',
        at: now,
        data: {
          attachmentId: id,
          fileName: file.fileName,
          size: stored.size,
          ...(uploadedById ? {} : { fromCustomer: true }),
        },
      });
      return inserted;
    });
    return row!;
  } catch (err) {
    await deps.storage.remove(id);
    throw err;
  }
}

export async function listAttachments(deps: Deps, actor: Actor, ticketId: string) {
  await loadTicketFor(deps.db, actor, ticketId);
  return deps.db.select().from(attachments).where(eq(attachments.ticketId, ticketId)).orderBy(attachments.createdAt);
}

/** Access follows the ticket: an attachment of a ticket you cannot read is "not found". */
export async function openAttachment(deps: AttachmentDeps, actor: Actor, id: string) {
  const [row] = await deps.db.select().from(attachments).where(eq(attachments.id, id));
  if (!row) throw notFound('Attachment');
  await loadTicketFor(deps.db, actor, row.ticketId).catch(() => {
    throw notFound('Attachment');
  });
  return { attachment: row, stream: deps.storage.get(row.storageKey) };
}
