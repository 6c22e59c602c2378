import { isObject } from '../../core/designer/isObject';
import type { FieldNode, SectionNode } from '../../core/designer/types';
import type { Localized } from '../../core/api/types';
import { localized } from '../../core/forms/localized';

/** fieldLabel is a field's label in the reader's language, else its key. */
export function fieldLabel(node: FieldNode, lang: string): string {
  const label = isObject(node.meta) ? node.meta['label'] : undefined;
  return localized(isObject(label) ? (label as Localized) : undefined, lang, node.name);
}

/** sectionTitle is a section's title in the reader's language, else its key, else fallback. */
export function sectionTitle(section: SectionNode, lang: string, fallback: string): string {
  const raw = isObject(section.raw) ? section.raw : {};
  const key = typeof raw['key'] === 'string' && raw['key'] ? raw['key'] : fallback;
  return localized(isObject(raw['title']) ? (raw['title'] as Localized) : undefined, lang, key);
}
