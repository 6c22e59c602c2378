import { ACTION_DOS, ACTION_MEMBERS, isNodeType, NODE_TYPES } from './nodeTypes';

describe('nodeTypes', () => {
  it('lists the format’s node types and actions', () => {
    expect(NODE_TYPES).toHaveLength(9);
    expect(isNodeType('parallel')).toBe(true);
    expect(isNodeType('subflow')).toBe(false);
    expect(isNodeType(3)).toBe(false);
    for (const dos of Object.values(ACTION_MEMBERS)) for (const d of dos) expect(ACTION_DOS).toContain(d);
  });
});
