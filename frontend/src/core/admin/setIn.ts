/**
 * setIn returns a copy of an object with the value at path replaced, creating the
 * objects on the way; undefined removes the member, and objects it leaves empty.
 *
 * @example
 * setIn({ age: { min: 18 } }, ['age', 'max'], 65) // { age: { min: 18, max: 65 } }
 * setIn({ age: { min: 18 } }, ['age', 'min'], undefined) // {}
 */
export function setIn(obj: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  const out = { ...obj };
  const next = rest.length === 0 ? value : setIn(isObject(obj[head]) ? obj[head] : {}, rest, value);
  if (next === undefined || (rest.length > 0 && isObject(next) && Object.keys(next).length === 0)) delete out[head];
  else out[head] = next;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
