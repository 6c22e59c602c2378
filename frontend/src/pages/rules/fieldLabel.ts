import type { FieldInfo } from '../../core/rules/types';
import { localized } from '../../core/forms/localized';

/**
 * fieldLabel names a field for a list of choices: its label and path, a property inside
 * an object field after the object's label ("Credit score · score").
 */
export function fieldLabel(f: FieldInfo, lang: string): string {
  if (f.parent) return `${localized(f.parent, lang, '')} · ${f.path.split('.').pop() ?? f.path}`;
  return f.label ? `${localized(f.label, lang, f.path)} (${f.path})` : f.path;
}
