import { problemsUnder } from './problemsUnder';

const p = (code: string) => ({ path: '', code, message: code });

describe('problemsUnder', () => {
  it('gathers a member’s problems and those inside it', () => {
    const map = { 'sla/after': [p('a')], sla: [p('b')], slab: [p('x')], mode: [p('c')] };
    expect(problemsUnder(map, 'sla').map((x) => x.code)).toEqual(['b', 'a']);
    expect(problemsUnder(undefined, 'sla')).toEqual([]);
  });
});
