import type { FieldProblem } from '../api/apiError';
import { locateProblems } from './locateProblems';
import { renameField } from './renameField';
import { idOf, testTree } from './testForm';

const problem = (path: string, code = 'x'): FieldProblem => ({ path, code, message: `${code} at ${path}` });

describe('locateProblems', () => {
  const tree = testTree();

  it.each([
    ['/schema/properties/name/pattern', 'name', 'pattern'],
    ['/schema/properties/name', 'name', ''],
    ['/fields/name/label/en', 'name', 'label'],
    ['/fields/income/widget', 'income', 'widget'],
    ['/schema/properties/income/enum', 'income', 'options'],
    ['/fields/income/options', 'income', 'options'],
    ['/computed/annual/expr', 'annual', 'computed'],
    ['/schema/required/1', 'contacts', 'required'],
    ['/schema/properties/contacts/items/properties/phone/pattern', 'contacts.phone', 'pattern'],
    ['/schema/properties/contacts/items/required/0', 'contacts.phone', 'required'],
    ['/fields/contacts/fields/who/mask', 'contacts.who', 'mask'],
    ['/schema/properties/contacts/maxItems', 'contacts', 'maxItems'],
    ['/fields/contacts/fields/ghost', 'contacts', ''],
  ])('%s is on %s, property "%s"', (path, field, property) => {
    const map = locateProblems([problem(path)], tree);
    expect(map.fields[idOf(tree, field)]?.[property]).toEqual([problem(path)]);
  });

  it('places section problems by index and form problems by member', () => {
    const map = locateProblems(
      [problem('/layout/sections/1/fields/0'), problem('/layout/sections/0/key'), problem('/title/en'), problem('/schema/properties/ghost/type'), problem('')],
      tree,
    );
    expect(Object.keys(map.sections[tree.sections[1]!.id]!)).toEqual(['fields']);
    expect(Object.keys(map.sections[tree.sections[0]!.id]!)).toEqual(['key']);
    expect(map.form['title']).toHaveLength(1);
    expect(map.form['']?.map((p) => p.path)).toEqual(['/schema/properties/ghost/type', '']);
    expect(map.count).toBe(5);
  });

  it('unescapes ~1 and ~0 in pointers', () => {
    const odd = renameField(tree, idOf(tree, 'name'), 'name');
    const map = locateProblems([problem('/layout/sections/0/title/zh~1CN')], odd);
    expect(map.sections[odd.sections[0]!.id]?.['title']).toHaveLength(1);
  });

  it('keeps problems on the node through a later rename', () => {
    const map = locateProblems([problem('/schema/properties/name/maxLength')], tree);
    const renamed = renameField(tree, idOf(tree, 'name'), 'full_name');
    expect(map.fields[idOf(renamed, 'full_name')]?.['maxLength']).toHaveLength(1);
  });
});
