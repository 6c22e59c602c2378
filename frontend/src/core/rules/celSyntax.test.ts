import { parseCel } from './celSyntax';

describe('parseCel', () => {
  it('parses the visual subset with precedence and parentheses', () => {
    expect(parseCel('has(record.a) && record.a > 1.5 || !has(record.b)')).toEqual({
      t: 'or',
      items: [
        { t: 'and', items: [{ t: 'call', fn: 'has', args: [{ t: 'path', parts: ['record', 'a'] }] }, { t: 'rel', op: '>', left: { t: 'path', parts: ['record', 'a'] }, right: { t: 'lit', value: 1.5 } }] },
        { t: 'not', x: { t: 'call', fn: 'has', args: [{ t: 'path', parts: ['record', 'b'] }] } },
      ],
    });
    expect(parseCel('(record.x in ["a", \'b\', -3])')).toEqual({
      t: 'paren',
      x: { t: 'rel', op: 'in', left: { t: 'path', parts: ['record', 'x'] }, right: { t: 'list', items: [{ t: 'lit', value: 'a' }, { t: 'lit', value: 'b' }, { t: 'lit', value: -3 }] } },
    });
  });

  it('reads string escapes as CEL does', () => {
    expect(parseCel('"a\\"b\\n\\u00e9\\x41"')).toEqual({ t: 'lit', value: 'a"b\né' + 'A' });
  });

  it('refuses what is outside the subset or broken', () => {
    expect(parseCel('record.hits.exists(h, h.rule == "x")')).toEqual(expect.objectContaining({ t: 'method' }));
    expect(parseCel('record.a + 1 > 2')).toBeNull();
    expect(parseCel('record.a >')).toBeNull();
    expect(parseCel('(record.a')).toBeNull();
    expect(parseCel('"open')).toBeNull();
    expect(parseCel('')).toBeNull();
  });
});
