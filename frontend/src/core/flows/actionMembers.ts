import type { JsonObject } from '../designer/types';
import type { ActionDo } from './types';

/**
 * actionMembers are the members an action needs before anything is filled in.
 *
 * @example
 * actionMembers('webhook') // { do: 'webhook', url: '' }
 */
export function actionMembers(action: ActionDo): JsonObject {
  switch (action) {
    case 'set_fields':
      return { do: action, values: {} };
    case 'start_flow':
      return { do: action, flow: '' };
    case 'webhook':
      return { do: action, url: '' };
  }
  return { do: action };
}
