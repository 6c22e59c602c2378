import { computedExpr } from './computedExpr';
import { setComputed } from './setComputed';
import { idOf, testTree } from './testForm';

describe('setComputed and computedExpr', () => {
  it('changes an expression and keeps its description', () => {
    let tree = testTree();
    const annual = idOf(tree, 'annual');
    expect(computedExpr(tree, annual)).toBe('record.income * 12.0');
    tree = setComputed(tree, annual, 'record.income * 13.0');
    expect(tree.rest['computed']).toEqual({ annual: { expr: 'record.income * 13.0', description: { en: 'Twelve months' } } });
  });

  it('adds one and removes the last one with the computed member', () => {
    let tree = testTree();
    const name = idOf(tree, 'name');
    tree = setComputed(tree, name, '"x"');
    expect(computedExpr(tree, name)).toBe('"x"');
    tree = setComputed(setComputed(tree, name, ''), idOf(tree, 'annual'), '');
    expect(tree.rest).not.toHaveProperty('computed');
  });

  it('does not compute a column', () => {
    const tree = testTree();
    expect(setComputed(tree, idOf(tree, 'contacts.who'), '"x"')).toBe(tree);
    expect(computedExpr(tree, idOf(tree, 'contacts.who'))).toBe('');
  });
});
