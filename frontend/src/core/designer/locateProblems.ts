import type { FieldProblem } from '../api/apiError';
import { isObject } from './isObject';
import type { DesignTree, FieldNode, Json } from './types';

/** ProblemsByProperty are the problems of one thing, by the property they are about ("" for the thing as a whole). */
export type ProblemsByProperty = Record<string, FieldProblem[]>;

/** ProblemMap places the problems the server found in a definition on what the designer shows. */
export interface ProblemMap {
  /** form holds the form's own (key, title, description) and those placed nowhere else (""). */
  form: ProblemsByProperty;
  /** fields holds a field's or column's problems by its node id. */
  fields: Record<string, ProblemsByProperty>;
  /** sections holds a section's problems by its node id. */
  sections: Record<string, ProblemsByProperty>;
  count: number;
}

/**
 * locateProblems places each problem the server located by JSON pointer in the
 * definition built from tree (toDefinition(tree)) on the field, column, section or form
 * property it is about: "/schema/properties/phone/pattern" is the phone field's pattern,
 * "/fields/contacts/fields/phone/label/en" the label of the contacts table's phone
 * column, "/schema/required/2" the required flag of the field named there,
 * "/layout/sections/1/key" the second section's key. A schema enum is the field's
 * options. Placed on node ids, the problems stay with their field through a rename.
 *
 * @example
 * locateProblems([{ path: '/schema/properties/phone/pattern', code: 'pattern_syntax', message: '…' }], tree)
 *   .fields[phone.id].pattern // [that problem]
 */
export function locateProblems(problems: readonly FieldProblem[], tree: DesignTree): ProblemMap {
  const map: ProblemMap = { form: {}, fields: {}, sections: {}, count: problems.length };
  for (const p of problems) {
    const at = place(decodePointer(p.path), tree);
    const bucket = at.kind === 'form' ? map.form : at.kind === 'field' ? (map.fields[at.id] ??= {}) : (map.sections[at.id] ??= {});
    (bucket[at.property] ??= []).push(p);
  }
  return map;
}

type Place = { kind: 'form'; property: string } | { kind: 'field' | 'section'; id: string; property: string };

const NOWHERE: Place = { kind: 'form', property: '' };

function place(segs: string[], tree: DesignTree): Place {
  const [head, a, b] = segs;
  switch (head) {
    case 'key':
    case 'title':
    case 'description':
      return { kind: 'form', property: head };
    case 'schema':
      if (a === 'properties' && b !== undefined) return inSchema(named(tree.fields, b), segs.slice(3));
      if (a === 'required' && b !== undefined) return required(tree.fields, tree.rest['schema'], b);
      return NOWHERE;
    case 'fields':
      return a === undefined ? NOWHERE : inMeta(named(tree.fields, a), segs.slice(2));
    case 'computed':
      return field(named(tree.fields, a), 'computed');
    case 'layout': {
      const section = a === 'sections' && b !== undefined ? tree.sections[Number(b)] : undefined;
      return section ? { kind: 'section', id: section.id, property: segs[3] ?? '' } : NOWHERE;
    }
  }
  return NOWHERE;
}

function inSchema(node: FieldNode | undefined, tail: string[]): Place {
  if (!node) return NOWHERE;
  const [a, b, c] = tail;
  if (node.columns && a === 'items' && b === 'properties' && c !== undefined) {
    const col = named(node.columns.nodes, c);
    return col ? inSchema(col, tail.slice(3)) : field(node, '');
  }
  if (node.columns && a === 'items' && b === 'required' && c !== undefined) {
    const place = required(node.columns.nodes, isObject(node.schema) ? node.schema['items'] : undefined, c);
    return place === NOWHERE ? field(node, '') : place;
  }
  if (a === 'enum' || (a === 'items' && b === 'enum')) return field(node, 'options');
  return field(node, a === 'items' ? '' : (a ?? ''));
}

function inMeta(node: FieldNode | undefined, tail: string[]): Place {
  if (!node) return NOWHERE;
  const [a, b] = tail;
  if (node.columns && a === 'fields' && b !== undefined) {
    const col = named(node.columns.nodes, b);
    return col ? inMeta(col, tail.slice(2)) : field(node, '');
  }
  return field(node, a ?? '');
}

function required(nodes: FieldNode[], schema: Json | undefined, index: string): Place {
  const list = isObject(schema) ? schema['required'] : undefined;
  const name = Array.isArray(list) ? list[Number(index)] : undefined;
  const node = typeof name === 'string' ? named(nodes, name) : undefined;
  return node ? field(node, 'required') : NOWHERE;
}

function field(node: FieldNode | undefined, property: string): Place {
  return node ? { kind: 'field', id: node.id, property } : NOWHERE;
}

function named(nodes: FieldNode[], name: string | undefined): FieldNode | undefined {
  return name === undefined ? undefined : nodes.find((n) => n.name === name);
}

/** decodePointer splits an RFC 6901 JSON pointer into its unescaped tokens. */
function decodePointer(path: string): string[] {
  if (path === '' || path === '/') return [];
  return path
    .replace(/^\//, '')
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}
