import { z } from 'zod';
import { AppError } from '../core/errors/app-error.js';

// Keyset cursors: opaque to clients (base64url JSON), validated on the way back in.

export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, schema: T): z.output<T> | undefined {
  if (cursor === undefined) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('request.invalid', 'The cursor is not valid; start again from the first page', {
      field: 'cursor',
    });
  }
}
