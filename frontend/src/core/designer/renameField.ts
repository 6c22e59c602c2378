import { findField } from './findField';
import { isObject } from './isObject';
import { mapField } from './mapField';
import { nameProblem } from './nameProblem';
import { setKey } from './setKey';
import type { DesignTree, Json, JsonObject } from './types';
import { updateRequired } from './updateRequired';

/**
 * renameField gives a field or column a new name, everywhere the format names it: the
 * sections, the required list, the computed entry and automated decisions (a column:
 * its table's required list). A name that is not valid or already taken leaves the
 * tree unchanged — two fields cannot share a name. Expressions that mention the old
 * name are not rewritten; the server names them when it checks the draft.
 *
 * @example
 * renameField(tree, phone.id, 'mobile_phone')
 */
export function renameField(tree: DesignTree, id: string, to: string): DesignTree {
  const found = findField(tree, id);
  if (!found || found.node.name === to) return tree;
  const from = found.node.name;
  const siblings = (found.table ? found.table.columns!.nodes : tree.fields).map((f) => f.name);
  if (nameProblem(to, siblings) !== null) return tree;
  const swap = (names: Json[]) => names.map((n) => (n === from ? to : n));

  if (found.table) {
    const renamed = mapField(tree, id, (n) => ({ ...n, name: to }));
    return mapField(renamed, found.table.id, (t) => ({
      ...t,
      schema: isObject(t.schema) && isObject(t.schema['items']) ? setKey(t.schema, 'items', updateRequired(t.schema['items'], swap)) : t.schema,
    }));
  }

  let rest = tree.rest;
  if (isObject(rest['schema'])) rest = setKey(rest, 'schema', updateRequired(rest['schema'], swap));
  const computed = rest['computed'];
  if (isObject(computed) && Object.hasOwn(computed, from)) {
    rest = setKey(rest, 'computed', Object.fromEntries(Object.entries(computed).map(([k, v]) => [k === from ? to : k, v])));
  }
  const decisions = rest['decisions'];
  if (isObject(decisions)) {
    const steps: JsonObject = Object.fromEntries(
      Object.entries(decisions).map(([k, step]) => [k, isObject(step) && step['field'] === from ? setKey(step, 'field', to) : step]),
    );
    rest = setKey(rest, 'decisions', steps);
  }
  return {
    ...mapField(tree, id, (n) => ({ ...n, name: to })),
    rest,
    sections: tree.sections.map((s) => (s.items?.includes(from) ? { ...s, items: swap(s.items) } : s)),
  };
}
