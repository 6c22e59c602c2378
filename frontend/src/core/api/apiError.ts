/** FieldProblem is one located problem of a rejected request (path is a JSON pointer). */
export interface FieldProblem {
  path: string;
  code: string;
  message: string;
  params?: Record<string, unknown>;
}

/** Codes the client raises itself, beside the server's. */
export const NETWORK_ERROR = 'network';
export const BAD_RESPONSE = 'bad_response';

/**
 * ApiError is a failed API call: the server's stable code and message, the fields at
 * fault, and what the caller needs to explain it (request or error id, retry delay).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[];
  readonly requestId: string | undefined;
  readonly errorId: string | undefined;
  /** retryAfter is the server's Retry-After in seconds, when it sent one. */
  readonly retryAfter: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    fields?: FieldProblem[] | undefined;
    requestId?: string | undefined;
    errorId?: string | undefined;
    retryAfter?: number | undefined;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields ?? [];
    this.requestId = init.requestId;
    this.errorId = init.errorId;
    this.retryAfter = init.retryAfter;
  }
}
