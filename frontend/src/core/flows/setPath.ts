import { setKey } from '../designer/setKey';
import { isObject } from '../designer/isObject';
import type { Json, JsonObject } from '../designer/types';

/**
 * setPath returns a copy of obj with the value at path (member names, list indexes as
 * numbers) replaced, creating objects on the way; a member keeps its place, a new one
 * goes last. undefined removes the member, or the list entry.
 *
 * @example
 * setPath({ sla: { after: '48h' } }, ['sla', 'after'], '24h') // { sla: { after: '24h' } }
 * setPath({ candidates: [{ role: 'a' }, { role: 'b' }] }, ['candidates', 0], undefined) // { candidates: [{ role: 'b' }] }
 */
export function setPath(obj: JsonObject, path: ReadonlyArray<string | number>, value: Json | undefined): JsonObject {
  return setIn(obj, path, value) as JsonObject;
}

function setIn(node: Json | undefined, path: ReadonlyArray<string | number>, value: Json | undefined): Json | undefined {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (typeof head === 'number') {
    const list = Array.isArray(node) ? [...node] : [];
    const next = setIn(list[head], rest, value);
    if (next === undefined) list.splice(head, 1);
    else list[head] = next;
    return list;
  }
  const base = isObject(node) ? node : {};
  return setKey(base, head, setIn(base[head], rest, value));
}
