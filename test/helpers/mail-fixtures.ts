import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../../src/core/auth/policy.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import type { EmailDeps } from '../../src/usecases/channels/receive-email.js';
import type { Harness } from './harness.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/email');

/** The bytes of a `.eml` fixture (8-bit encodings kept), with `{{NAME}}` placeholders filled in. */
export const mailFixture = (name: string, vars: Record<string, string> = {}) =>
  Buffer.from(
    Object.entries(vars).reduce(
      (text, [k, v]) => text.replaceAll(`{{${k}}}`, v),
      readFileSync(join(FIXTURES, name), 'latin1'),
    ),
    'latin1',
  );

/** An administrator, for the quarantine use cases the mail tests read. */
export const mailAdmin: Actor = { id: '00000000-0000-7000-8000-000000000001', role: 'admin', teamId: null };

/** The mail intake's dependencies on a test harness: its database, clock and attachment storage. */
export const mailDeps = (h: Harness): EmailDeps => ({
  ...h.deps,
  storage: diskStorage(h.config.attachmentDir),
  maxBytes: h.config.attachmentMaxBytes,
});
