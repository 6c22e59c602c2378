import { newId } from './newId';
import type { JsonObject, SectionNode } from './types';
import { uniqueName } from './uniqueName';

/**
 * newSection makes an empty section titled title, laid out in columns columns, with a
 * key free among taken.
 *
 * @example
 * newSection(['section'], { 'zh-CN': '联系方式', en: 'Contact' }, 2).raw // { key: 'section_2', … }
 */
export function newSection(taken: readonly string[], title: JsonObject, columns: number): SectionNode {
  return { id: newId(), raw: { key: uniqueName('section', taken), title, columns }, items: [] };
}
