import type { Edit } from './applyEdit';
import type { ProblemMap, ProblemsByProperty } from './locateProblems';

// The problem property an edit of a field's schema keyword or metadata entry fixes.
const SCHEMA_PROPERTY: Record<string, string> = { enum: 'options' };

/**
 * clearProblems takes off the problems an edit addresses — those of the property it
 * changed — so a field stops being marked wrong once the person fixed it; the server
 * judges again on the next save.
 *
 * @example
 * clearProblems(map, { kind: 'setSchema', field: id, key: 'pattern', value: '^1\\d{10}$' }) // without id's pattern problems
 */
export function clearProblems(map: ProblemMap, edit: Edit): ProblemMap {
  switch (edit.kind) {
    case 'setMeta':
      return without(map, 'fields', edit.field, [edit.key]);
    case 'setSchema':
      return without(map, 'fields', edit.field, [SCHEMA_PROPERTY[edit.key] ?? edit.key]);
    case 'setRequired':
      return without(map, 'fields', edit.field, ['required']);
    case 'setOptions':
      return without(map, 'fields', edit.field, ['options']);
    case 'setComputed':
      return without(map, 'fields', edit.field, ['computed']);
    case 'renameField':
      return without(map, 'fields', edit.field, ['key', '']);
    case 'removeField':
      return without(map, 'fields', edit.field, null);
    case 'setSection':
      return without(map, 'sections', edit.section, [edit.key]);
    case 'removeSection':
      return without(map, 'sections', edit.section, null);
    case 'placeField':
    case 'addField':
      // A section that had no field ("needs at least one") has one now.
      return edit.to.section === null ? map : without(map, 'sections', edit.to.section, ['fields']);
    case 'removeSectionItem':
      return without(map, 'sections', edit.section, ['fields']);
    case 'setForm': {
      const mine = map.form[edit.key];
      return mine ? { ...map, form: drop(map.form, [edit.key]), count: map.count - mine.length } : map;
    }
  }
  return map;
}

function without(map: ProblemMap, where: 'fields' | 'sections', id: string, props: string[] | null): ProblemMap {
  const mine = map[where][id];
  if (!mine) return map;
  const left = props === null ? {} : drop(mine, props);
  const removed = count(mine) - count(left);
  if (removed === 0) return map;
  return { ...map, [where]: { ...map[where], [id]: left }, count: map.count - removed };
}

function drop(byProp: ProblemsByProperty, props: string[]): ProblemsByProperty {
  return Object.fromEntries(Object.entries(byProp).filter(([p]) => !props.includes(p)));
}

function count(byProp: ProblemsByProperty): number {
  return Object.values(byProp).reduce((n, l) => n + l.length, 0);
}
