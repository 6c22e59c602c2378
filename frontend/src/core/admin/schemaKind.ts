import type { JsonSchema } from '../api/adminEndpoints';
import { resolveSchema } from './resolveSchema';

/** SchemaKind is how the configuration form edits a value of a schema. */
export type SchemaKind = 'object' | 'enum' | 'boolean' | 'string' | 'number' | 'integer' | 'enum_list' | 'string_list' | 'json';

/** typeOf is a schema's type, the first that is not "null" when it lists several. */
function typeOf(s: JsonSchema): string | undefined {
  const t = s['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.find((x): x is string => typeof x === 'string' && x !== 'null');
  return undefined;
}

/**
 * schemaKind picks the input for a (resolved) schema: a fieldset for objects, a choice
 * for enums, a check box or choice list for booleans and arrays of enums, a text input
 * for strings and numbers, one line per item for arrays of strings; anything else is
 * edited as JSON.
 *
 * @example
 * schemaKind({ type: 'array', items: { enum: ['a', 'b'] } }, root) // "enum_list"
 */
export function schemaKind(schema: JsonSchema, root: JsonSchema): SchemaKind {
  if (Array.isArray(schema['enum'])) return 'enum';
  const type = typeOf(schema);
  if (type === 'object' || (type === undefined && schema['properties'] && typeof schema['properties'] === 'object')) return 'object';
  if (type === 'boolean' || type === 'string' || type === 'number' || type === 'integer') return type;
  if (type === 'array' && schema['items'] && typeof schema['items'] === 'object') {
    const items = resolveSchema(schema['items'] as JsonSchema, root);
    if (Array.isArray(items['enum'])) return 'enum_list';
    if (typeOf(items) === 'string') return 'string_list';
  }
  return 'json';
}
