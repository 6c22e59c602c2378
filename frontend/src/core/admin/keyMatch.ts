/**
 * keyMatch is casbin's keyMatch, which the server's policy model uses for objects: a
 * pattern's "*" covers everything from its position on ("form:loan/*" covers
 * "form:loan/field:amount", "*" covers everything); without "*" the two must be equal.
 * The server's objMatch (objMatch.ts) adds that a table's field covers its columns.
 *
 * @example
 * keyMatch('form:loan/field:amount', 'form:loan/*') // true
 * keyMatch('form:loan', 'form:loan/*') // false
 */
export function keyMatch(key: string, pattern: string): boolean {
  const star = pattern.indexOf('*');
  if (star === -1) return key === pattern;
  const prefix = pattern.slice(0, star);
  return key.length > star ? key.slice(0, star) === prefix : key === prefix;
}
