/** Permission is one rule of a role (GET /roles/{role}/permissions). */
export interface Permission {
  object: string;
  action: string;
  effect?: 'allow' | 'deny' | string;
}

const DEFINITIONS = 'admin:definitions';

/**
 * keyMatch is casbin's keyMatch, the server's object matcher: "admin:*" covers
 * "admin:definitions", "*" covers everything.
 */
function keyMatch(object: string, pattern: string): boolean {
  const i = pattern.indexOf('*');
  if (i < 0) return object === pattern;
  return object.length > i ? object.slice(0, i) === pattern.slice(0, i) : object === pattern.slice(0, i);
}

/**
 * mayEditDefinitions decides from the rules of all the person's roles whether they may
 * save definition drafts (admin:definitions update), as the server's model does: some
 * rule allows it and no rule denies it. The server stays the judge; this only decides
 * whether to offer the designer.
 *
 * @example
 * mayEditDefinitions([[{ object: 'admin:*', action: '*' }]]) // true
 */
export function mayEditDefinitions(roles: ReadonlyArray<readonly Permission[]>, action = 'update'): boolean {
  const rules = roles.flat().filter((p) => keyMatch(DEFINITIONS, p.object) && (p.action === action || p.action === '*'));
  return rules.some((p) => (p.effect ?? 'allow') !== 'deny') && !rules.some((p) => p.effect === 'deny');
}
