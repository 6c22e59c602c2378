/**
 * decodePointer splits an RFC 6901 JSON pointer into its unescaped tokens.
 *
 * @example
 * decodePointer('/nodes/3/sla/after') // ["nodes", "3", "sla", "after"]
 * decodePointer('/values/a~1b') // ["values", "a/b"]
 */
export function decodePointer(path: string): string[] {
  if (path === '' || path === '/') return [];
  return path
    .replace(/^\//, '')
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}
