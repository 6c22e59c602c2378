import type { TFunction } from 'i18next';
import { isObject } from '../../core/designer/isObject';
import type { JsonObject, Localized } from '../../core/designer/types';
import { localized } from '../../core/forms/localized';
import { isNodeType } from '../../core/flows/nodeTypes';

/**
 * stepLabel says what a step is in the person's language: its type (an action by what it
 * does), its name (or its id when it has none) and its id.
 */
export function stepLabel(raw: JsonObject, lang: string, t: TFunction): { type: string; typeLabel: string; name: string; id: string } {
  const type = typeof raw['type'] === 'string' ? raw['type'] : '';
  const id = typeof raw['id'] === 'string' ? raw['id'] : '';
  const act = raw['do'];
  const typeLabel =
    type === 'action' && typeof act === 'string' && ['score', 'fraud', 'set_fields', 'start_flow', 'webhook'].includes(act)
      ? t(`automation.flows.dos.${act as 'score'}`)
      : isNodeType(type)
        ? t(`automation.flows.types.${type}`)
        : type;
  const name = isObject(raw['name']) ? localized(raw['name'] as Localized, lang, id) : id;
  return { type, typeLabel, name: name || id, id };
}
