import { nodePosition } from './nodePosition';

describe('nodePosition', () => {
  it('reads a stored position', () => {
    expect(nodePosition({ id: 'a', position: { x: 115.5, y: -240 } })).toEqual({ x: 115.5, y: -240 });
  });

  it('leaves a node without a usable one to the layout', () => {
    expect(nodePosition({ id: 'a' })).toBeUndefined();
    expect(nodePosition({ id: 'a', position: { x: '1', y: 2 } })).toBeUndefined();
    expect(nodePosition({ id: 'a', position: { x: 1 } })).toBeUndefined();
    expect(nodePosition({ id: 'a', position: [1, 2] })).toBeUndefined();
  });
});
