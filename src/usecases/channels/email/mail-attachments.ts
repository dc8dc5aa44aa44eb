import { Readable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import type { MailAttachment } from '../../../channels/email/parse-mail.js';
import { ALLOWED_ATTACHMENT_TYPES } from '../../attachments/attachments.js';
import type { EmailDeps } from './intake.js';

// A mail's attachments go to storage before its transaction (no file I/O while rows are locked),
// under the upload allow-list and size limit; what is not kept is listed for the agent. When the
// transaction does not keep the mail, the stored files are removed again.

export type StoredAttachment = { id: string; fileName: string; contentType: string; size: number; sha256: string };
export type StoredAttachments = { files: StoredAttachment[]; skipped: { fileName: string; reason: string }[] };

/** The allow-list of uploads, by file extension: mail clients often say application/octet-stream. */
function allowedType(fileName: string): string | null {
  const ext = fileName.split('.').pop()?.toLowerCase() ?? '';
  for (const [type, exts] of Object.entries(ALLOWED_ATTACHMENT_TYPES)) if (exts.includes(ext)) return type;
  return null;
}

export async function storeMailAttachments(deps: EmailDeps, parts: MailAttachment[]): Promise<StoredAttachments> {
  const stored: StoredAttachments = { files: [], skipped: [] };
  try {
    for (const [i, part] of parts.entries()) {
      const fileName = (part.fileName?.trim() || `attachment-${i + 1}`).slice(0, 255);
      const contentType = allowedType(fileName);
      if (!contentType) {
        stored.skipped.push({ fileName, reason: `类型不允许 (type ${part.contentType} not accepted)` });
        continue;
      }
      if (part.content.length > deps.maxBytes) {
        stored.skipped.push({
          fileName,
          reason: `超过大小限制 (larger than ${Math.round(deps.maxBytes / 1048576)} MB)`,
        });
        continue;
      }
      const id = uuidv7();
      const { size, sha256 } = await deps.storage.put(id, Readable.from([part.content]), deps.maxBytes);
      stored.files.push({ id, fileName, contentType, size, sha256 });
    }
  } catch (err) {
    await removeMailAttachments(deps, stored);
    throw err;
  }
  return stored;
}

export async function removeMailAttachments(deps: EmailDeps, stored: StoredAttachments): Promise<void> {
  await Promise.all(stored.files.map((f) => deps.storage.remove(f.id).catch(() => undefined)));
}
