import type { z } from 'zod';
import { freeTextFor } from '../core/privacy/free-text.js';
import type { AttachmentView } from '../contracts/tickets.js';
import type { Viewer } from './tickets.js';

export type AttachmentRecord = {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: Date;
};

/**
 * A file on a ticket as `viewer` sees it. Customers name photos after themselves ("身份证
 * 110101….jpg"): numbers in the name are masked for viewers who may not reveal personal data.
 */
export function presentAttachment(a: AttachmentRecord, viewer: Viewer): z.output<typeof AttachmentView> {
  return {
    id: a.id,
    fileName: freeTextFor(viewer)(a.fileName),
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    createdAt: a.createdAt.toISOString(),
  };
}
