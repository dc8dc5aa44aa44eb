// One error type and one list of codes for the whole application. Codes are part of the API
// contract; the HTTP layer maps each kind to a status code in one place.

export const ERROR_KINDS = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  url_too_long: 414,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  headers_too_large: 431,
} as const;
export type ErrorKind = keyof typeof ERROR_KINDS;

export const ERROR_CODES = {
  'request.invalid': 'validation',
  'request.invalid_text': 'validation',
  'request.conflict': 'conflict',
  'service.unavailable': 'unavailable',
  'request.body_too_large': 'payload_too_large',
  'request.unsupported_media_type': 'unsupported_media_type',
  'request.method_not_allowed': 'method_not_allowed',
  'request.timeout': 'timeout',
  'request.url_too_long': 'url_too_long',
  'request.headers_too_large': 'headers_too_large',
  'auth.required': 'unauthenticated',
  'auth.invalid_credentials': 'unauthenticated',
  'auth.csrf_token_invalid': 'forbidden',
  'auth.forbidden': 'forbidden',
  'auth.rate_limited': 'rate_limited',
  'resource.not_found': 'not_found',
  'ticket.invalid_transition': 'conflict',
  'ticket.reply_required': 'conflict',
  'ticket.confirmation_required': 'conflict',
  'ticket.close_reason_required': 'validation',
  'ticket.version_conflict': 'conflict',
  'ticket.blocking_subtasks_open': 'conflict',
  'ticket.assignee_at_capacity': 'conflict',
  'ticket.assignee_unavailable': 'conflict',
  'ticket.already_escalated': 'conflict',
  'ticket.not_escalated': 'conflict',
  'ticket.merge_invalid': 'unprocessable',
  'subtask.invalid_state': 'conflict',
  'ticket.category_type_mismatch': 'unprocessable',
  'ticket.unknown_reference': 'unprocessable',
  'ticket.assignee_invalid': 'unprocessable',
  'idempotency.key_reused': 'unprocessable',
  'customer.number_taken': 'conflict',
  'customer.not_high_value': 'unprocessable',
  'customer.account_manager_invalid': 'unprocessable',
  'attachment.too_large': 'payload_too_large',
  'attachment.type_not_allowed': 'unsupported_media_type',
  'staff.username_taken': 'conflict',
  'category.code_taken': 'conflict',
  'team.code_taken': 'conflict',
  'category.cycle': 'unprocessable',
  'directory.unknown_reference': 'unprocessable',
  'staff.self_lockout': 'unprocessable',
  'pii.reveal_not_allowed': 'forbidden',
  'webhook.channel_disabled': 'not_found',
  'webhook.bad_signature': 'unauthenticated',
  'webhook.stale_timestamp': 'unauthenticated',
  'webhook.unknown_sender': 'unprocessable',
  'routing.unknown_reference': 'unprocessable',
  'routing.order_stale': 'conflict',
  'calendar.invalid_date': 'validation',
  'sla.unknown_reference': 'validation',
  'agent.not_staff': 'unprocessable',
  'message.no_contact': 'unprocessable',
  'outbox.not_dead': 'conflict',
  'survey.not_found': 'not_found',
  'survey.already_answered': 'conflict',
  'survey.expired': 'conflict',
  'callback.closed': 'conflict',
  'callback.attempts_exhausted': 'conflict',
  'callback.attempts_remaining': 'unprocessable',
  'callback.not_reached_yet': 'unprocessable',
  'callback.unknown_root_cause': 'unprocessable',
  'root_cause.code_taken': 'conflict',
  'survey_template.invalid': 'validation',
  'saved_view.name_taken': 'conflict',
  'saved_view.limit_reached': 'unprocessable',
  'reply.name_taken': 'conflict',
  'reply.unknown_placeholder': 'validation',
  'macro.not_applicable': 'conflict',
  'qa.scorecard_invalid': 'unprocessable',
  'qa.scorecard_published': 'conflict',
  'qa.draft_exists': 'conflict',
  'qa.no_published_scorecard': 'conflict',
  'qa.scores_invalid': 'unprocessable',
  'qa.already_reviewed': 'conflict',
  'qa.review_not_open': 'conflict',
  'qa.dispute_window_closed': 'conflict',
  'qa.review_not_disputed': 'conflict',
  'qa.adjusted_score_invalid': 'unprocessable',
  'qa.coaching_not_open': 'conflict',
  'qa.coaching_not_recorded': 'conflict',
  'qa.calibration_closed': 'conflict',
  'ticket.assignee_not_certified': 'conflict',
  'regulator.unknown_source': 'unprocessable',
  'regulator.duplicate_referral': 'conflict',
  'regulator.deadline_before_received': 'validation',
  'regulator.already_replied': 'conflict',
  'regulator.first_contact_recorded': 'conflict',
  'regulator.reason_required': 'validation',
  'phrase.duplicate': 'conflict',
  'training.course_code_taken': 'conflict',
  'training.not_a_worker': 'unprocessable',
  'kpi.invalid_weights': 'validation',
  'kpi.invalid_period': 'validation',
  'export.not_ready': 'conflict',
  'privacy.request_open': 'conflict',
  'privacy.invalid_transition': 'conflict',
  'privacy.same_approver': 'conflict',
  'privacy.export_not_ready': 'conflict',
  'privacy.export_expired': 'conflict',
} as const satisfies Record<string, ErrorKind>;
export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_KINDS[ERROR_CODES[this.code]];
  }
}

export const notFound = (what: string): AppError => new AppError('resource.not_found', `${what} was not found`);
