import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../../db/client.js';
import { attachments, ticketMessages } from '../../../db/schema.js';
import type { InboundMail } from '../../../channels/email/parse-mail.js';
import type { TimelineEntry } from '../../tickets/record-event.js';
import type { StoredAttachments } from './mail-attachments.js';

// A customer's mail on a ticket: one public message, the files stored for it, and an internal note
// listing the attachments that were not kept.

const BODY_LIMIT = 500_000;

/** Writes the mail as the customer's public message on the ticket; returns the message id. */
export async function insertMailMessage(tx: Tx, ticketId: string, mail: InboundMail, now: Date): Promise<string> {
  const messageId = uuidv7();
  await tx.insert(ticketMessages).values({
    id: messageId,
    ticketId,
    fromCustomer: true,
    visibility: 'public',
    channel: 'email',
    // HTML mail keeps its (sanitised) formatting; the plain-text version is the ticket description and search text.
    body: (mail.html ?? (mail.text || mail.subject)).slice(0, BODY_LIMIT),
    bodyFormat: mail.html ? 'html' : 'text',
    createdAt: now,
  });
  return messageId;
}

/** Attaches the stored files to the message and notes the skipped ones; returns their timeline entries. */
export async function addMailFiles(
  tx: Tx,
  ticketId: string,
  messageId: string,
  stored: StoredAttachments,
  now: Date,
): Promise<TimelineEntry[]> {
  const events: TimelineEntry[] = [];
  if (stored.files.length > 0) {
    await tx.insert(attachments).values(
      stored.files.map((f) => ({
        ...f,
        ticketId,
        messageId,
        storageKey: f.id,
        uploadedById: null,
        createdAt: now,
      })),
    );
    for (const f of stored.files)
      events.push({
        ticketId,
        actorId: null,
        kind: 'attachment_added',
        at: now,
        data: { attachmentId: f.id, fileName: f.fileName, size: f.size, messageId },
      });
  }
  if (stored.skipped.length > 0) {
    const noteId = uuidv7();
    const lines = stored.skipped.map((s) => `· ${s.fileName}：${s.reason}`);
    await tx.insert(ticketMessages).values({
      id: noteId,
      ticketId,
      fromCustomer: false,
      visibility: 'internal',
      channel: 'email',
      body: `客户邮件中有附件未保存 (attachments not kept):\n${lines.join('\n')}`,
      createdAt: now,
    });
    events.push({
      ticketId,
      actorId: null,
      kind: 'message_added',
      at: now,
      data: { messageId: noteId, visibility: 'internal', skippedAttachments: stored.skipped },
    });
  }
  return events;
}
