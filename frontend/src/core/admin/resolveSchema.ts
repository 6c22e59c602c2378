import type { JsonSchema } from '../api/adminEndpoints';

/**
 * resolveSchema follows a schema's local "$ref" ("#/$defs/limit") within root, the
 * keywords beside the reference (a description, a default) taking precedence, as in
 * JSON Schema 2020-12. A reference it cannot follow leaves the schema as it is.
 *
 * @example
 * resolveSchema({ $ref: '#/$defs/limit', description: 'Per phone' }, root) // { type: 'object', …, description: 'Per phone' }
 */
export function resolveSchema(node: JsonSchema, root: JsonSchema): JsonSchema {
  let current = node;
  for (let hops = 0; hops < 16 && typeof current['$ref'] === 'string'; hops++) {
    const ref = current['$ref'];
    if (!ref.startsWith('#')) break;
    let target: unknown = root;
    for (const raw of ref.slice(1).split('/').slice(1)) {
      const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      target = target && typeof target === 'object' ? (target as JsonSchema)[token] : undefined;
    }
    if (!target || typeof target !== 'object') break;
    const { $ref: _ref, ...siblings } = current;
    current = { ...(target as JsonSchema), ...siblings };
  }
  return current;
}
