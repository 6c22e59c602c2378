import { ApiError } from '../api/apiError';
import { describeError, type ErrorText } from '../api/describeError';

/** ADMIN_ERROR_CODES are the refusals of the administration routes that have their own words. */
export const ADMIN_ERROR_CODES = [
  'invalid_config',
  'invalid_mapping',
  'imports_disabled',
  'plugins_disabled',
  'file_too_large',
  'legacy_workbook',
  'unsupported_file',
  'empty_file',
  'unreadable_file',
  'unknown_sheet',
  'missing_file',
  'unknown_plugin',
  'unknown_kind',
  'not_bound',
  'plugin_unavailable',
  'plugin_timeout',
  'plugin_checksum',
  'plugin_incompatible',
  'plugin_manifest',
  'plugin_failed',
  'changed_elsewhere',
] as const;
export type AdminErrorCode = (typeof ADMIN_ERROR_CODES)[number];

/** AdminErrorText names the catalogue entry that explains an administration error. */
export interface AdminErrorText {
  key: ErrorText['key'] | `admin.errors.${AdminErrorCode}`;
  values: Record<string, string | number>;
}

/**
 * describeAdminError words an error of an administration page: the codes only these
 * routes answer (and the wizard's own file checks, thrown as Error(code)) from the
 * admin catalogue, everything else as describeError does.
 *
 * @example
 * describeAdminError(new ApiError({ status: 503, code: 'plugins_disabled', message: '' })) // { key: 'admin.errors.plugins_disabled', values: {} }
 */
export function describeAdminError(err: unknown): AdminErrorText {
  const code = err instanceof ApiError ? err.code : err instanceof Error ? err.message : '';
  if ((ADMIN_ERROR_CODES as readonly string[]).includes(code)) {
    return { key: `admin.errors.${code as AdminErrorCode}`, values: {} };
  }
  return describeError(err);
}
