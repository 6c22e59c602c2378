import type { EntryField } from './types';

/**
 * ValueKind is how a field is entered: a table of rows, several choices, a list written
 * one entry per line, a yes/no box, text (choices by option too), or not at all (an
 * object such as a plugin's decision).
 */
export type ValueKind = 'table' | 'choices' | 'lines' | 'flag' | 'text' | 'other';

/**
 * valueKind tells how a field is entered, from its widget and (when known) its schema.
 *
 * @example
 * valueKind({ name: 'flags', widget: 'tags', … }) // "lines"
 */
export function valueKind(f: EntryField): ValueKind {
  const type = f.schema?.['type'];
  if (f.widget === 'subtable') return f.columns ? 'table' : 'other';
  if (f.widget === 'decision' || type === 'object') return 'other';
  // An attachment field holds one file id (a string) or a list of them.
  if (type === 'array' || f.widget === 'tags' || (f.widget === 'attachment' && type !== 'string')) return f.options ? 'choices' : 'lines';
  if (f.widget === 'checkbox') return f.options && type !== 'boolean' ? 'choices' : 'flag';
  return 'text';
}
