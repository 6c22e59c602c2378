import { isObject } from './isObject';
import type { DesignTree, FieldNode, Json, JsonObject, SectionNode } from './types';

/**
 * toDefinition puts a design tree back together as the definition JSON the server
 * stores: rest as it was, schema.properties and fields from the nodes in their order,
 * layout.sections from the sections. fromDefinition followed by toDefinition gives the
 * same JSON (key order aside).
 *
 * @example
 * await saveDraft(api, tenant, key, toDefinition(tree));
 */
export function toDefinition(tree: DesignTree): JsonObject {
  const out: JsonObject = { ...tree.rest };
  if (tree.owns.properties || tree.fields.some((f) => f.schema !== undefined)) {
    const schema = isObject(tree.rest['schema']) ? tree.rest['schema'] : {};
    out['schema'] = { ...schema, properties: propertiesOf(tree.fields) };
  }
  if (tree.owns.fields || tree.fields.some((f) => f.meta !== undefined)) {
    out['fields'] = metasOf(tree.fields);
  }
  if (tree.owns.sections || tree.sections.length > 0) {
    const layout = isObject(tree.rest['layout']) ? tree.rest['layout'] : {};
    out['layout'] = { ...layout, sections: tree.sections.map(sectionJson) };
  }
  return out;
}

// Object.fromEntries defines own properties, so no name (not even "__proto__") can
// reach the prototype.
function propertiesOf(nodes: FieldNode[]): JsonObject {
  return Object.fromEntries(nodes.filter((n) => n.schema !== undefined).map((n) => [n.name, schemaOf(n)]));
}

function metasOf(nodes: FieldNode[]): JsonObject {
  return Object.fromEntries(nodes.filter((n) => n.meta !== undefined).map((n) => [n.name, metaOf(n)]));
}

function schemaOf(node: FieldNode): Json {
  const schema = node.schema as Json;
  const cols = node.columns;
  if (!cols || !(cols.inProperties || cols.nodes.some((c) => c.schema !== undefined))) return schema;
  const base = isObject(schema) ? schema : {};
  const items = isObject(base['items']) ? base['items'] : { type: 'object' };
  return { ...base, items: { ...items, properties: propertiesOf(cols.nodes) } };
}

function metaOf(node: FieldNode): Json {
  const meta = node.meta as Json;
  const cols = node.columns;
  if (!cols || !(cols.inFields || cols.nodes.some((c) => c.meta !== undefined))) return meta;
  return { ...(isObject(meta) ? meta : {}), fields: metasOf(cols.nodes) };
}

function sectionJson(s: SectionNode): Json {
  if (s.items === null) return s.raw;
  return { ...(isObject(s.raw) ? s.raw : {}), fields: s.items };
}
