import type { JsonObject } from './types';

/**
 * newDefinition is the draft a new form starts as: its key and title, an empty object
 * schema, no fields yet, and one section in two columns to drop fields into.
 *
 * @example
 * newDefinition('intake', { 'zh-CN': '进件', en: 'Intake' }, { 'zh-CN': '基本信息', en: 'Basics' })
 */
export function newDefinition(key: string, title: JsonObject, section: JsonObject): JsonObject {
  return {
    key,
    title,
    schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false, properties: {} },
    fields: {},
    layout: { sections: [{ key: 'basics', title: section, columns: 2, fields: [] }] },
  };
}
