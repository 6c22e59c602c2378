import { clearProblems } from './clearProblems';
import { locateProblems } from './locateProblems';
import { idOf, testTree } from './testForm';

describe('clearProblems', () => {
  const tree = testTree();
  const name = idOf(tree, 'name');
  const map = locateProblems(
    [
      { path: '/schema/properties/name/pattern', code: 'pattern_syntax', message: 'bad' },
      { path: '/schema/properties/name/maxLength', code: 'type', message: 'bad' },
      { path: '/layout/sections/0/key', code: 'duplicate_section', message: 'dup' },
      { path: '/title/en', code: 'minLength', message: 'empty' },
    ],
    tree,
  );

  it('takes off the problems of the property edited, and only those', () => {
    const next = clearProblems(map, { kind: 'setSchema', field: name, key: 'pattern', value: '^a$' });
    expect(Object.keys(next.fields[name]!)).toEqual(['maxLength']);
    expect(next.count).toBe(3);
  });

  it('clears a section property, the form title and a removed field', () => {
    expect(clearProblems(map, { kind: 'setSection', section: tree.sections[0]!.id, key: 'key', value: 'x' }).count).toBe(3);
    expect(clearProblems(map, { kind: 'setForm', key: 'title', value: { en: 'T' } }).form['title']).toBeUndefined();
    expect(clearProblems(map, { kind: 'removeField', field: name }).count).toBe(2);
  });

  it('clears a section’s "needs a field" once a field is placed in it', () => {
    const empty = locateProblems([{ path: '/layout/sections/1/fields', code: 'minItems', message: 'needs 1' }], tree);
    const s = tree.sections[1]!.id;
    expect(clearProblems(empty, { kind: 'placeField', field: name, to: { section: s, index: 0 } }).count).toBe(0);
    expect(clearProblems(empty, { kind: 'placeField', field: name, to: { section: null } })).toBe(empty);
  });

  it('returns the same map when there is nothing to clear', () => {
    expect(clearProblems(map, { kind: 'setMeta', field: name, key: 'help', value: undefined })).toBe(map);
    expect(clearProblems(map, { kind: 'moveSection', section: tree.sections[0]!.id, index: 1 })).toBe(map);
  });
});
