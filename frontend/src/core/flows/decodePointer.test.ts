import { decodePointer } from './decodePointer';

describe('decodePointer', () => {
  it('splits and unescapes', () => {
    expect(decodePointer('')).toEqual([]);
    expect(decodePointer('/nodes/3/sla/after')).toEqual(['nodes', '3', 'sla', 'after']);
    expect(decodePointer('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
  });
});
