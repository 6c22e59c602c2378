import type { JsonObject } from './types';

/**
 * newDashboard starts a dashboard under key: a copy of another one's body (its widgets
 * and filters) when given, else the widget a dashboard needs to be valid.
 *
 * @example
 * newDashboard('cockpit_copy', { en: 'Copy' }, cockpit).widgets.length // 12
 */
export function newDashboard(key: string, name: JsonObject, from: JsonObject | undefined, first: JsonObject): JsonObject {
  if (from) {
    const copy = structuredClone(from);
    return { ...copy, key, name };
  }
  return { key, name, widgets: [first] };
}

