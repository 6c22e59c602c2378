import { ApiError } from '../api/apiError';
import type { ApiClient } from '../api/client';
import { getFormAccess, getFormVersion } from '../api/endpoints';
import type { FormAccess, FormDefinition } from '../api/types';

/** FormView is what a record list needs of a form: the caller's access and, when they may read it, the definition. */
export interface FormView {
  access: FormAccess;
  definition: FormDefinition | null;
}

/**
 * formView reads the caller's access to a form, then the definition of the version that
 * access describes. Reading definitions is its own right: without it the list still
 * works, with field names for headers.
 */
export async function formView(api: ApiClient, tenant: string, form: string): Promise<FormView> {
  const access = await getFormAccess(api, tenant, form);
  try {
    const v = await getFormVersion(api, tenant, form, access.version);
    return { access, definition: v.body };
  } catch (err) {
    if (err instanceof ApiError && err.code === 'forbidden') return { access, definition: null };
    throw err;
  }
}
