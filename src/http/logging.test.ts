import { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { pino, type LoggerOptions } from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions, redactDigits, redactUrl } from './logging.js';

/** A logger configured as the app's, writing to a string. */
function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const log = pino(loggerOptions('info') as LoggerOptions, stream);
  return { log, text: () => text };
}

describe('log redaction', () => {
  it('masks phone and ID numbers in logged URLs', () => {
    expect(redactDigits('/api/v1/customers?q=13812345678')).toBe('/api/v1/customers?q=138****78');
    expect(redactDigits('/x?id=110101199003071234')).not.toContain('1990030712');
  });
  it('leaves short numbers such as page sizes, and record ids, alone', () => {
    expect(redactDigits('/api/v1/tickets?limit=50')).toBe('/api/v1/tickets?limit=50');
    const id = '0190b7a6-0000-7000-8000-000000000000';
    expect(redactDigits(`/api/v1/tickets/${id}`)).toBe(`/api/v1/tickets/${id}`);
  });
  it('masks numbers typed with separators, plain or percent-encoded', () => {
    for (const q of ['138-1000-0000', '138 1000 0000', '138%201000%200000', '%2B86%20138-1000-0000', '(138)1000.0000'])
      expect(redactUrl(`/api/v1/customers?q=${q}`), q).not.toMatch(/1000/);
  });
  it('drops sign-in codes and link tokens from URLs', () => {
    const url = redactUrl('/portal/?link=0190b7a6-0000-7000-8000-000000000000.1795000000.abcDEF_123&code=123456');
    expect(url).not.toContain('abcDEF_123');
    expect(url).not.toContain('123456');
  });
  it('logs the customer search URL without the number', () => {
    const { log, text } = capture();
    log.info({ req: { id: 'r1', method: 'GET', url: '/api/v1/customers?q=138-1000-0000' } }, 'incoming request');
    expect(text()).toContain('/api/v1/customers?q=');
    expect(text()).not.toMatch(/1000/);
  });
  it('logs a failed statement without its parameters or the values in its detail', async () => {
    const db = drizzle(new PGlite());
    await db.execute(sql`CREATE TABLE numbers (msisdn text PRIMARY KEY)`);
    await db.execute(sql`INSERT INTO numbers VALUES (${'13810000000'})`);
    const err = await db.execute(sql`INSERT INTO numbers VALUES (${'13810000000'})`).catch((e: unknown) => e);
    expect(String((err as Error).message) + JSON.stringify(err)).toContain('13810000000'); // what would have leaked
    const { log, text } = capture();
    log.error({ err }, 'unhandled error');
    expect(text()).toContain('23505');
    expect(text()).not.toMatch(/1381000|10000000/);
  }, 180_000);
});
