import type { JsonSchema } from '../api/adminEndpoints';
import { resolveSchema } from './resolveSchema';
import { schemaKind } from './schemaKind';

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * configForSubmit turns what the configuration form holds into the configuration to
 * send: number inputs, kept as typed text while editing, become numbers when they read
 * as one (otherwise the text goes as it is, for the server to refuse on its field);
 * JSON inputs are parsed when they parse; empty inputs are left out, so the plugin's
 * default applies.
 *
 * @example
 * configForSubmit({ properties: { cap: { type: 'number' } } }, root, { cap: '200000' }) // { cap: 200000 }
 */
export function configForSubmit(schema: JsonSchema, root: JsonSchema, value: unknown): unknown {
  const s = resolveSchema(schema, root);
  const kind = schemaKind(s, root);
  if (kind === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    const props = (s['properties'] ?? {}) as Record<string, JsonSchema>;
    const extra = s['additionalProperties'];
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const child = props[k] ?? (extra && typeof extra === 'object' ? (extra as JsonSchema) : {});
      const c = configForSubmit(child, root, v);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return undefined;
  if ((kind === 'number' || kind === 'integer') && NUMBER.test(value.trim())) return Number(value.trim());
  if (kind === 'json') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}
