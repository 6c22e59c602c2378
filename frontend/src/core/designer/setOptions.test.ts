import { newField } from './newField';
import { setOptions } from './setOptions';
import { idOf, testTree } from './testForm';
import type { DesignTree } from './types';

const words = { label: { en: 'Choice' }, option: (n: number) => ({ en: `Option ${n}` }), column: { en: 'Item' } };

function withField(kind: 'select' | 'checkboxes'): [DesignTree, string] {
  const tree = testTree();
  const node = newField(kind, [], words);
  return [{ ...tree, fields: [...tree.fields, node] }, node.id];
}

describe('setOptions', () => {
  const options = [
    { value: 'branch', label: { 'zh-CN': '网点', en: 'Branch' } },
    { value: 'online', label: { en: 'Online' } },
  ];

  it('writes the labelled options and the schema enum together', () => {
    const [tree, id] = withField('select');
    const node = setOptions(tree, id, options).fields.at(-1)!;
    expect(node.meta).toMatchObject({ widget: 'select', options });
    expect(node.schema).toEqual({ type: 'string', enum: ['branch', 'online'] });
  });

  it('puts the enum on the items of a checkboxes field', () => {
    const [tree, id] = withField('checkboxes');
    const node = setOptions(tree, id, options).fields.at(-1)!;
    expect(node.schema).toEqual({ type: 'array', items: { type: 'string', enum: ['branch', 'online'] }, uniqueItems: true });
  });

  it('removes both when no option is left', () => {
    const [tree, id] = withField('select');
    const node = setOptions(tree, id, []).fields.at(-1)!;
    expect(node.meta).not.toHaveProperty('options');
    expect(node.schema).toEqual({ type: 'string' });
  });

  it('leaves other fields alone', () => {
    const tree = testTree();
    expect(setOptions(tree, 'nope', options)).toBe(tree);
    expect(setOptions(tree, idOf(tree, 'name'), options).fields[1]).toBe(tree.fields[1]);
  });
});
