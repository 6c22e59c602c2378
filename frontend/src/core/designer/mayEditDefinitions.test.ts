import { mayEditDefinitions } from './mayEditDefinitions';

describe('mayEditDefinitions', () => {
  it.each([
    ['an explicit allow', [[{ object: 'admin:definitions', action: 'update' }]], true],
    ['every admin area', [[{ object: 'admin:*', action: '*' }]], true],
    ['everything', [[{ object: '*', action: '*', effect: 'allow' }]], true],
    ['reading only (the auditor)', [[{ object: 'admin:definitions', action: 'read' }]], false],
    ['another area', [[{ object: 'admin:users', action: '*' }]], false],
    ['a deny in another role', [[{ object: 'admin:*', action: '*' }], [{ object: 'admin:definitions', action: 'update', effect: 'deny' }]], false],
    ['no roles', [], false],
  ])('%s', (_name, roles, want) => {
    expect(mayEditDefinitions(roles)).toBe(want);
  });
});
