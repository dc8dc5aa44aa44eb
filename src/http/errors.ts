import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode } from '../core/errors/app-error.js';
import { errorCode, isDatabaseUnavailable, isRetryableConflict, isUnstorableText } from '../db/errors.js';
import { errorBody as body } from './error-shape.js';

/** How long a client should wait before retrying while the database is unreachable. */
const UNAVAILABLE_RETRY_SECONDS = 5;
/** busboy's words for a multipart body that ends early or has a broken part header. */
const MALFORMED_MULTIPART =
  /^(Unexpected end of (form|file|multipart data)|Malformed part header|Multipart: Boundary not found)/;

// Fastify's own errors that callers can cause, mapped to our codes. Anything else is a bug and
// answers 500 with no detail (the log keeps it).
const FASTIFY_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'request.body_too_large', message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'request.unsupported_media_type',
    message: 'Unsupported content type',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'request.invalid', message: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'request.invalid', message: 'The body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'request.invalid', message: 'Invalid Content-Length' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    code: 'request.unsupported_media_type',
    message: 'Expected multipart/form-data',
  },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'attachment.too_large', message: 'The file is larger than allowed' },
  FST_FILES_LIMIT: { status: 413, code: 'attachment.too_large', message: 'Too many files in one request' },
};

/**
 * `spaIndex`: the web app's index.html, served for unknown GET paths outside /api (client-side routes).
 * `allowedMethods`: the methods a path takes, so a wrong method answers 405 rather than 404.
 */
export function registerErrorHandling(
  app: FastifyInstance,
  spaIndex: string | null = null,
  allowedMethods: (path: string) => string[] = () => [],
): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (err.status === 429 && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      return reply.status(err.status).send(body(err.code, err.message, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        in: err.validationContext,
        path: v.instancePath.replace(/^\//, '').split('/').filter(Boolean),
        message: v.message,
        // Zod's issue code (invalid_format, too_small, …): what is wrong, for a sentence in the reader's language.
        code: v.keyword,
      }));
      return reply
        .status(400)
        .send(
          body(
            'request.invalid',
            `The ${err.validationContext ?? 'request'} is invalid: ${issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
            { issues },
          ),
        );
    }
    if (isUnstorableText(err)) {
      return reply
        .status(400)
        .send(body('request.invalid_text', 'Text may not contain NUL characters or unpaired UTF-16 surrogates'));
    }
    if (isRetryableConflict(err)) {
      // Already run twice (the transaction helper retries once): the caller may try again.
      return reply
        .status(409)
        .header('retry-after', '1')
        .send(body('request.conflict', 'A concurrent change got in the way; please try again'));
    }
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ code: errorCode(err) }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', String(UNAVAILABLE_RETRY_SECONDS))
        .send(body('service.unavailable', 'The service is briefly unavailable; please try again shortly'));
    }
    if (MALFORMED_MULTIPART.test(err.message)) {
      return reply
        .status(400)
        .send(body('request.invalid', 'The multipart body is cut off or malformed; send the whole file again'));
    }
    const known = err.code ? FASTIFY_ERRORS[err.code] : undefined;
    if (known) return reply.status(known.status).send(body(known.code, known.message));
    if (err.statusCode === 429) {
      return reply.status(429).send(body('auth.rate_limited', 'Too many requests; try again later'));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send(body('request.invalid', err.message));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('internal', 'Something went wrong on our side; it has been logged'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    if (spaIndex && request.method === 'GET' && !path.startsWith('/api/') && !path.includes('.')) {
      // The customer portal is its own page; everything else belongs to the desk.
      return reply.sendFile(path === '/portal' || path.startsWith('/portal/') ? `portal/${spaIndex}` : spaIndex);
    }
    const allow = allowedMethods(path);
    if (allow.length > 0) {
      return reply
        .status(405)
        .header('allow', allow.join(', '))
        .send(body('request.method_not_allowed', `${path} does not take ${request.method}`, { allow }));
    }
    return reply.status(404).send(body('resource.not_found', `No route for ${request.method} ${path}`));
  });
}
