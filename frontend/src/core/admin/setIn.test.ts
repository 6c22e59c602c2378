import { setIn } from './setIn';

describe('setIn', () => {
  it('sets deep values without touching the original', () => {
    const a = { age: { min: 18 }, rules: ['x'] };
    expect(setIn(a, ['age', 'max'], 65)).toEqual({ age: { min: 18, max: 65 }, rules: ['x'] });
    expect(setIn(a, ['velocity', 'phone', 'window'], '24h')).toEqual({ ...a, velocity: { phone: { window: '24h' } } });
    expect(a).toEqual({ age: { min: 18 }, rules: ['x'] });
  });

  it('removes a member and the objects it leaves empty', () => {
    expect(setIn({ age: { min: 18 }, cap: 1 }, ['age', 'min'], undefined)).toEqual({ cap: 1 });
    expect(setIn({ cap: 1 }, ['cap'], undefined)).toEqual({});
  });
});
