import type { FieldProblem } from '../api/apiError';
import type { JsonSchema } from './types';

/** SchemaError is one output unit of a JSON Schema validator (JSON Schema's basic output). */
export interface SchemaError {
  keyword: string;
  keywordLocation: string;
  instanceLocation: string;
  error: string;
}

// Keywords that only say a part failed: the part's own errors tell what.
const AGGREGATE = new Set(['properties', 'items', 'prefixItems', 'additionalItems', 'allOf', '$ref', '$dynamicRef', 'if', 'then', 'else', 'dependentSchemas', 'unevaluatedItems', 'contains']);
// Errors inside alternatives are the alternatives' own; the anyOf/oneOf/not error says it.
const BRANCH = /\/(anyOf|oneOf|not)\//;

// The server's order (runtime/form/messages.go): the first is what to fix first.
const PRIORITY: Record<string, number> = {
  type: 1, required: 2, additionalProperties: 3, const: 4, enum: 5, format: 6, pattern: 7, minLength: 8, maxLength: 9,
  minimum: 10, exclusiveMinimum: 11, maximum: 12, exclusiveMaximum: 13, multipleOf: 14, minItems: 15, maxItems: 16,
};

const LIMITS = new Set(['minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems']);

/**
 * explainOutput turns a validator's errors into located problems shaped like the
 * server's (JSON pointer, the keyword as code, the limit as params), one per place —
 * the most important — so the browser's findings and the server's read the same.
 *
 * @example
 * explainOutput(result.errors, schema, data) // [{ path: "/mobile_phone", code: "pattern", … }]
 */
export function explainOutput(errors: readonly SchemaError[], schema: JsonSchema, instance: unknown): FieldProblem[] {
  const found: FieldProblem[] = [];
  for (const e of errors) {
    if (AGGREGATE.has(e.keyword) || BRANCH.test(e.keywordLocation)) continue;
    const at = pointerOf(e.instanceLocation);
    const node = parentNode(schema, e.keywordLocation);
    if (e.keyword === 'required') {
      const target = valueAt(instance, at);
      const names = Array.isArray(node?.['required']) ? (node['required'] as unknown[]) : [];
      for (const n of names) {
        if (typeof n === 'string' && isPlain(target) && !Object.hasOwn(target, n)) {
          found.push({ path: `${at}/${escape(n)}`, code: 'required', message: 'is required' });
        }
      }
      continue;
    }
    const problem: FieldProblem = { path: at, code: e.keyword, message: e.error };
    const value = node?.[e.keyword];
    if (LIMITS.has(e.keyword) && typeof value === 'number') problem.params = { limit: value };
    if (e.keyword === 'format' || e.keyword === 'pattern') problem.params = { [e.keyword]: value };
    if (e.keyword === 'enum') problem.params = { allowed: value };
    if (e.keyword === 'const') problem.params = { value };
    found.push(problem);
  }
  return dedupe(found);
}

function dedupe(ps: FieldProblem[]): FieldProblem[] {
  const best = new Map<string, FieldProblem>();
  const rank = (c: string) => PRIORITY[c] ?? 100;
  for (const p of ps) {
    const cur = best.get(p.path);
    if (!cur || rank(p.code) < rank(cur.code)) best.set(p.path, p);
  }
  return [...best.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** pointerOf turns "#/a/0" into "/a/0" and "#" into "". */
function pointerOf(location: string): string {
  return location.startsWith('#') ? location.slice(1) : location;
}

function escape(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

function tokens(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((t) => decodeURIComponent(t).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const t of tokens(pointer)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isPlain(cur)) cur = cur[t];
    else return undefined;
  }
  return cur;
}

/** parentNode is the schema object holding the keyword at location, when it can be followed. */
function parentNode(schema: JsonSchema, location: string): Record<string, unknown> | undefined {
  const ts = tokens(pointerOf(location));
  const node = valueAt(schema, ts.slice(0, -1).map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join(''));
  return isPlain(node) ? node : undefined;
}
