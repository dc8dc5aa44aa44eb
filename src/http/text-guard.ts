import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors/app-error.js';

// Text that is not text: NUL (PostgreSQL cannot store it in text or JSON) and UTF-16 surrogates
// without their pair (not Unicode; JSON columns refuse them). Checked once for every route, on
// the parsed body, query and path parameters, before validation, so no route can forget it.

const BAD_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_DEPTH = 64;

export type TextIssue = { in: 'body' | 'querystring' | 'params'; path: string[]; problem: 'nul' | 'lone_surrogate' };

/** The first places (at most 20) where a string or an object key holds NUL or a lone surrogate. */
export function findBadText(value: unknown, where: TextIssue['in']): TextIssue[] {
  const issues: TextIssue[] = [];
  const visit = (v: unknown, path: string[], depth: number): void => {
    if (issues.length >= 20 || depth > MAX_DEPTH) return;
    if (typeof v === 'string') {
      const problem = badText(v);
      if (problem) issues.push({ in: where, path, problem });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, [...path, String(i)], depth + 1));
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [key, item] of Object.entries(v)) {
        const problem = badText(key);
        if (problem) issues.push({ in: where, path: [...path, key], problem });
        visit(item, [...path, key], depth + 1);
      }
    }
  };
  visit(value, [], 0);
  return issues;
}

export function badText(s: string): TextIssue['problem'] | null {
  if (!BAD_TEXT.test(s)) return null;
  return s.includes('\u0000') ? 'nul' : 'lone_surrogate';
}

export const invalidText = (issues: TextIssue[]): AppError =>
  new AppError(
    'request.invalid_text',
    `Text may not contain NUL characters or unpaired UTF-16 surrogates (${issues
      .map((i) => `${i.in} ${i.path.join('.') || '(root)'}`)
      .join(', ')})`,
    { issues },
  );

export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const issues = [
      ...findBadText(request.params, 'params'),
      ...findBadText(request.query, 'querystring'),
      ...findBadText(request.body, 'body'),
    ];
    if (issues.length > 0) throw invalidText(issues);
  });
}
