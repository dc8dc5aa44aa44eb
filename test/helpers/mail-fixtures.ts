import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
