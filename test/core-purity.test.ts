import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The domain core stays pure: no database, HTTP, file system, native modules or hidden clocks.
const FORBIDDEN = [
  /from '(node:)?(fs|net|http|child_process)/,
  /drizzle-orm/,
  /fastify/,
  /from 'pg'/,
  /@electric-sql/,
  /@node-rs/,
  /Date\.now\(\)/,
  /new Date\(\)/,
  /\.\.\/(db|http|usecases)\//,
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('src/core', () => {
  it('imports no I/O and reads no clock', () => {
    const offences = files('src/core').flatMap((f) =>
      FORBIDDEN.filter((re) => re.test(readFileSync(f, 'utf8'))).map((re) => `${f}: ${re}`),
    );
    expect(offences).toEqual([]);
  });
});
