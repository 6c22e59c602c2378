import { history, type History } from './history';
import { idOf, testTree } from './testForm';

describe('history', () => {
  it('undoes and redoes edits, and forgets the future on a new edit', () => {
    const tree = testTree();
    let h: History = { past: [], present: tree, future: [] };
    const name = idOf(tree, 'name');
    h = history(h, { type: 'edit', edit: { kind: 'setRequired', field: name, required: false } });
    const afterFirst = h.present;
    h = history(h, { type: 'edit', edit: { kind: 'setMeta', field: name, key: 'indexed', value: true } });
    h = history(h, { type: 'undo' });
    expect(h.present).toBe(afterFirst);
    h = history(h, { type: 'undo' });
    expect(h.present).toBe(tree);
    h = history(h, { type: 'redo' });
    expect(h.present).toBe(afterFirst);
    h = history(h, { type: 'edit', edit: { kind: 'removeField', field: name } });
    expect(h.future).toEqual([]);
    expect(history(h, { type: 'redo' })).toBe(h);
  });

  it('does not count an edit that changes nothing, and starts afresh on load', () => {
    const tree = testTree();
    const h: History = { past: [], present: tree, future: [] };
    expect(history(h, { type: 'edit', edit: { kind: 'removeField', field: 'nope' } })).toBe(h);
    expect(history(h, { type: 'undo' })).toBe(h);
    const other = testTree();
    expect(history({ past: [tree], present: tree, future: [tree] }, { type: 'load', tree: other })).toEqual({ past: [], present: other, future: [] });
  });
});
