import { isObject } from './isObject';
import { newId } from './newId';
import type { Columns, DesignTree, FieldNode, Json, JsonObject, SectionNode } from './types';

/**
 * fromDefinition takes a form definition (as the server stores it) apart into the
 * designer's tree: one node per field — its schema property and its metadata together,
 * a sub-table's columns as child nodes — and the layout's sections. Whatever the
 * designer does not edit stays in rest, untouched; toDefinition puts it all back.
 * A definition that does not have the expected shape (a draft saved half-done) is
 * read as far as it goes: the odd parts stay in rest or in the node as they are.
 *
 * @example
 * const tree = fromDefinition(body);
 * tree.fields.map((f) => f.name) // ["applicant_name", "gender", …]
 */
export function fromDefinition(def: JsonObject): DesignTree {
  const rest: JsonObject = { ...def };
  let properties: JsonObject = {};
  let metas: JsonObject = {};
  const owns = { properties: false, fields: false, sections: false };

  const schema = def['schema'];
  if (isObject(schema) && isObject(schema['properties'])) {
    const { properties: props, ...schemaRest } = schema;
    properties = props as JsonObject;
    rest['schema'] = schemaRest;
    owns.properties = true;
  }
  const fields = def['fields'];
  if (isObject(fields)) {
    metas = fields;
    delete rest['fields'];
    owns.fields = true;
  }

  let sections: SectionNode[] = [];
  const layout = def['layout'];
  if (isObject(layout) && Array.isArray(layout['sections'])) {
    const { sections: list, ...layoutRest } = layout;
    sections = (list as Json[]).map(sectionOf);
    rest['layout'] = layoutRest;
    owns.sections = true;
  }

  return { rest, fields: nodesOf(properties, metas), sections, owns };
}

/** nodesOf pairs properties and metadata by name: the properties' order, then names only metadata has. */
function nodesOf(properties: JsonObject, metas: JsonObject): FieldNode[] {
  const names = Object.keys(properties);
  for (const name of Object.keys(metas)) if (!Object.hasOwn(properties, name)) names.push(name);
  return names.map((name) =>
    nodeOf(name, Object.hasOwn(properties, name) ? properties[name] : undefined, Object.hasOwn(metas, name) ? metas[name] : undefined),
  );
}

function nodeOf(name: string, schema: Json | undefined, meta: Json | undefined): FieldNode {
  const node: FieldNode = { id: newId(), name, schema, meta };
  if (!isObject(meta) || meta['widget'] !== 'subtable') return node;

  const columns: Columns = { nodes: [], inProperties: false, inFields: false };
  let colProps: JsonObject = {};
  let colMetas: JsonObject = {};
  const items = isObject(schema) ? schema['items'] : undefined;
  if (isObject(schema) && isObject(items) && isObject(items['properties'])) {
    const { properties, ...itemsRest } = items;
    colProps = properties as JsonObject;
    node.schema = { ...schema, items: itemsRest };
    columns.inProperties = true;
  }
  if (isObject(meta['fields'])) {
    const { fields, ...metaRest } = meta;
    colMetas = fields as JsonObject;
    node.meta = metaRest;
    columns.inFields = true;
  }
  columns.nodes = nodesOf(colProps, colMetas);
  node.columns = columns;
  return node;
}

function sectionOf(entry: Json): SectionNode {
  if (isObject(entry) && Array.isArray(entry['fields'])) {
    const { fields, ...raw } = entry;
    return { id: newId(), raw, items: [...(fields as Json[])] };
  }
  return { id: newId(), raw: entry, items: null };
}
