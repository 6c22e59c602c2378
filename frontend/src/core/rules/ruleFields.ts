import { isObject } from '../designer/isObject';
import type { Json, JsonObject, Localized } from '../designer/types';
import type { FieldInfo, Kind } from './types';

/** MAX_DEPTH is how deep into object fields the list goes (credit_score.score is one level). */
const MAX_DEPTH = 2;

/**
 * ruleFields lists what a condition can compare in a form (its published definition):
 * every field in the schema's order, and the properties of object fields (an automated
 * decision's score, grade…) by dotted path, each with the kind of value the server types
 * it as (a local $ref followed, ["number", "null"] read as number), its allowed values
 * with the form's labels, and its label.
 *
 * @example
 * ruleFields(loanApplication).find((f) => f.path === 'credit_score.score') // { kind: 'integer', … }
 */
export function ruleFields(form: JsonObject): FieldInfo[] {
  const schema = isObject(form['schema']) ? form['schema'] : {};
  const meta = isObject(form['fields']) ? form['fields'] : {};
  const props = isObject(schema['properties']) ? schema['properties'] : {};
  const out: FieldInfo[] = [];
  const walk = (properties: JsonObject, prefix: string, depth: number, parent: Localized | undefined, metas: JsonObject) => {
    for (const [name, raw] of Object.entries(properties)) {
      const node = resolve(schema, raw);
      const m = isObject(metas[name]) ? metas[name] : {};
      const info: FieldInfo = { path: prefix + name, kind: kindOf(node['type']) };
      if (isObject(m['label'])) info.label = m['label'] as Localized;
      if (parent) info.parent = parent;
      if (info.kind === 'array') info.items = kindOf(resolve(schema, node['items'])['type']);
      const options = optionsOf(node, m, schema);
      if (options) info.options = options;
      out.push(info);
      const inner = node['properties'];
      if (info.kind === 'object' && isObject(inner) && depth < MAX_DEPTH) walk(inner, `${info.path}.`, depth + 1, info.label ?? { en: info.path }, {});
    }
  };
  walk(props, '', 0, undefined, meta);
  return out;
}

/** resolve follows local "#/…" refs (a few hops) to the schema node meant. */
function resolve(root: JsonObject, node: Json | undefined): JsonObject {
  let n = node;
  for (let hops = 0; hops < 16 && isObject(n) && typeof n['$ref'] === 'string' && n['$ref'].startsWith('#'); hops++) {
    let at: Json | undefined = root;
    for (const t of n['$ref'].slice(1).split('/').filter(Boolean)) at = isObject(at) ? at[t.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    n = at;
  }
  return isObject(n) ? n : {};
}

const KINDS: readonly Kind[] = ['string', 'number', 'integer', 'boolean', 'array', 'object'];

/** kindOf reads a "type" keyword as the server does. */
function kindOf(type: Json | undefined): Kind {
  const names = typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string' && t !== 'null') : [];
  if (names.length === 2 && names.includes('number') && names.includes('integer')) return 'number';
  const one = names.length === 1 ? names[0] : undefined;
  return one !== undefined && (KINDS as readonly string[]).includes(one) ? (one as Kind) : 'any';
}

function optionsOf(node: JsonObject, meta: JsonObject, root: JsonObject): FieldInfo['options'] {
  const labelled = new Map<Json, Localized>();
  if (Array.isArray(meta['options'])) {
    for (const o of meta['options']) if (isObject(o) && isObject(o['label'])) labelled.set(o['value'] ?? null, o['label'] as Localized);
  }
  const source = Array.isArray(node['enum']) ? node['enum'] : Array.isArray(resolve(root, node['items'])['enum']) ? (resolve(root, node['items'])['enum'] as Json[]) : null;
  if (!source) return undefined;
  return source
    .filter((v): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map((value) => {
      const label = labelled.get(value);
      return label ? { value, label } : { value };
    });
}
