import { undoable } from './undoable';

describe('undoable', () => {
  it('steps back and forth, and a same value is no step', () => {
    let h = undoable({ past: [], present: { n: 1 }, future: [] }, { type: 'set', value: { n: 2 } });
    expect(undoable(h, { type: 'set', value: h.present })).toBe(h);
    h = undoable(h, { type: 'undo' });
    expect(h.present).toEqual({ n: 1 });
    expect(undoable(h, { type: 'undo' })).toBe(h);
    h = undoable(h, { type: 'redo' });
    expect(h.present).toEqual({ n: 2 });
    expect(undoable(h, { type: 'redo' })).toBe(h);
    expect(undoable(h, { type: 'load', value: { n: 9 } })).toEqual({ past: [], present: { n: 9 }, future: [] });
  });
});
