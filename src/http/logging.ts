import type { FastifyServerOptions } from 'fastify';

// Personal data never reaches the logs: cookies and tokens are redacted, and digit runs that look
// like phone or ID numbers in URLs (e.g. a customer search) are masked.
const LONG_DIGITS = /\d{7,}/g;
export const redactDigits = (s: string): string => s.replace(LONG_DIGITS, (d) => `${d.slice(0, 3)}****${d.slice(-2)}`);

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactDigits(req.url),
      }),
    },
  };
}
