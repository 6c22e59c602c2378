import type { Json } from '../designer/types';

// A parser for the part of CEL a visual condition is written in: literals, record field
// paths, has() and size(), comparisons, in, .contains(), !, && and ||, parentheses.
// Anything else (macros such as exists, arithmetic, other functions) does not parse:
// such an expression is not a tree and stays text.

/** Ast is a parsed expression of that subset; parentheses are kept, they group items. */
export type Ast =
  | { t: 'or' | 'and'; items: Ast[] }
  | { t: 'not' | 'paren'; x: Ast }
  | { t: 'rel'; op: '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in'; left: Ast; right: Ast }
  | { t: 'call'; fn: string; args: Ast[] }
  | { t: 'method'; target: Ast; fn: string; args: Ast[] }
  | { t: 'path'; parts: string[] }
  | { t: 'lit'; value: Json }
  | { t: 'list'; items: Ast[] };

type Token = { k: 'op' | 'ident' | 'lit'; v: string; value?: Json };

const OPS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', ',', '.', '-'];

function tokenize(src: string): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const s = readString(src, i);
      if (!s) return null;
      out.push({ k: 'lit', v: 'str', value: s.value });
      i = s.end;
      continue;
    }
    const num = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ k: 'lit', v: 'num', value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      const w = id[0];
      if (w === 'true' || w === 'false') out.push({ k: 'lit', v: w, value: w === 'true' });
      else if (w === 'null') out.push({ k: 'lit', v: w, value: null });
      else out.push({ k: 'ident', v: w });
      i += w.length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) return null;
    out.push({ k: 'op', v: op });
    i += op.length;
  }
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', a: '\x07', '\\': '\\', '"': '"', "'": "'", '`': '`', '?': '?' };

function readString(src: string, start: number): { value: string; end: number } | null {
  const quote = src[start];
  let i = start + 1;
  let value = '';
  while (i < src.length) {
    const c = src[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\n') return null;
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const e = src[i + 1];
    if (e === undefined) return null;
    if (ESCAPES[e] !== undefined) {
      value += ESCAPES[e];
      i += 2;
      continue;
    }
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const digits = src.slice(i + 2, i + 2 + hex);
    if (hex === 0 || !new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) return null;
    value += String.fromCodePoint(parseInt(digits, 16));
    i += 2 + hex;
  }
  return null;
}

/**
 * parseCel parses an expression of the visual subset of CEL, or returns null.
 *
 * @example
 * parseCel('has(record.a) && record.a > 1.0') // { t: 'and', items: [call has, rel >] }
 * parseCel('record.hits.exists(h, h.rule == "x")') // null
 */
export function parseCel(src: string): Ast | null {
  const tokens = tokenize(src);
  if (!tokens || tokens.length === 0) return null;
  let pos = 0;
  const peek = (v: string) => tokens[pos]?.k === 'op' && tokens[pos]?.v === v;
  const eat = (v: string) => {
    if (!peek(v)) throw new SyntaxError(v);
    pos++;
  };
  const binary = (t: 'or' | 'and', sep: string, next: () => Ast): Ast => {
    const items = [next()];
    while (peek(sep)) {
      pos++;
      items.push(next());
    }
    return items.length === 1 ? items[0]! : { t, items };
  };
  const expr = (): Ast => binary('or', '||', () => binary('and', '&&', unary));
  const unary = (): Ast => {
    if (peek('!')) {
      pos++;
      return { t: 'not', x: unary() };
    }
    return relation();
  };
  const relation = (): Ast => {
    const left = member();
    const tok = tokens[pos];
    const op = tok?.k === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(tok.v) ? tok.v : tok?.k === 'ident' && tok.v === 'in' ? 'in' : null;
    if (!op) return left;
    pos++;
    return { t: 'rel', op: op as never, left, right: member() };
  };
  const args = (): Ast[] => {
    eat('(');
    const list: Ast[] = [];
    if (!peek(')')) {
      list.push(expr());
      while (peek(',')) {
        pos++;
        list.push(expr());
      }
    }
    eat(')');
    return list;
  };
  const member = (): Ast => {
    let node = primary();
    while (peek('.')) {
      pos++;
      const name = tokens[pos];
      if (name?.k !== 'ident') throw new SyntaxError('.');
      pos++;
      if (peek('(')) node = { t: 'method', target: node, fn: name.v, args: args() };
      else if (node.t === 'path') node = { t: 'path', parts: [...node.parts, name.v] };
      else throw new SyntaxError('.');
    }
    return node;
  };
  const primary = (): Ast => {
    const tok = tokens[pos];
    if (!tok) throw new SyntaxError('end');
    if (tok.k === 'lit') {
      pos++;
      return { t: 'lit', value: tok.value ?? null };
    }
    if (tok.k === 'ident') {
      pos++;
      return peek('(') ? { t: 'call', fn: tok.v, args: args() } : { t: 'path', parts: [tok.v] };
    }
    if (tok.v === '-' && tokens[pos + 1]?.v === 'num') {
      pos += 2;
      return { t: 'lit', value: -(tokens[pos - 1]!.value as number) };
    }
    if (tok.v === '(') {
      pos++;
      const x = expr();
      eat(')');
      return { t: 'paren', x };
    }
    if (tok.v === '[') {
      pos++;
      const items: Ast[] = [];
      if (!peek(']')) {
        items.push(expr());
        while (peek(',')) {
          pos++;
          items.push(expr());
        }
      }
      eat(']');
      return { t: 'list', items };
    }
    throw new SyntaxError(tok.v);
  };
  try {
    const ast = expr();
    return pos === tokens.length ? ast : null;
  } catch {
    return null;
  }
}
