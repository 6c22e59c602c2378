import type { Json } from '../designer/types';
import { parseCel, type Ast } from './celSyntax';
import { fieldKind } from './fieldKinds';
import type { ConditionItem, FieldInfo, Group, Leaf } from './types';

/**
 * celToCondition reads a CEL expression back as a visual condition when it is one: the
 * comparisons a tree compiles to (each asking first whether its field is set) joined by
 * && and ||, grouped by parentheses. An expression that means anything else, such as a
 * comparison that does not ask whether the field is set, or a macro, is no tree: null,
 * and it stays text.
 *
 * @example
 * celToCondition('(has(record.amount) && record.amount > 100000.0)', fields) // { all: [{ field: 'amount', op: 'gt', value: 100000 }] }
 * celToCondition('record.amount > 100000.0', fields) // null: true of an unset amount too in a tree
 */
export function celToCondition(text: string, fields: readonly FieldInfo[]): Group | null {
  const ast = parseCel(text);
  if (!ast) return null;
  const reader = new Reader(fields);
  if (ast.t === 'or') {
    const any = ast.items.map((x) => reader.item(x));
    return any.every((x): x is ConditionItem => x !== null) ? { any } : null;
  }
  const all = ast.t === 'and' ? reader.chain(ast.items) : reader.chain([ast]);
  return all ? { all } : null;
}

class Reader {
  constructor(private readonly fields: readonly FieldInfo[]) {}

  /** chain reads the operands of && as items: a has() and the comparison it guards make one. */
  chain(items: Ast[]): ConditionItem[] | null {
    const out: ConditionItem[] = [];
    for (let i = 0; i < items.length; i++) {
      const a = items[i]!;
      const field = this.hasOf(a);
      if (field !== null) {
        const next = items[i + 1];
        const guarded = next ? this.guarded(field, next) : null;
        if (guarded) {
          out.push(guarded);
          i++;
          continue;
        }
        if (this.textual(field)) return null;
        out.push({ field, op: 'is_set' });
        continue;
      }
      const item = this.item(a);
      if (!item) return null;
      out.push(item);
    }
    return out;
  }

  /** item reads one operand: a parenthesised comparison or group, or a negation. */
  item(ast: Ast): ConditionItem | null {
    switch (ast.t) {
      case 'paren': {
        const x = ast.x;
        if (x.t === 'or') {
          const any = x.items.map((i) => this.item(i));
          return any.every((i): i is ConditionItem => i !== null) ? { any } : null;
        }
        if (x.t === 'and') {
          const all = this.chain(x.items);
          if (!all) return null;
          return all.length === 1 && 'field' in all[0]! ? all[0]! : { all };
        }
        return this.item(x);
      }
      case 'and': {
        const all = this.chain(ast.items);
        if (!all) return null;
        return all.length === 1 && 'field' in all[0]! ? all[0]! : { all };
      }
      case 'or': {
        const any = ast.items.map((i) => this.item(i));
        return any.every((i): i is ConditionItem => i !== null) ? { any } : null;
      }
      case 'not':
        return this.negation(strip(ast.x));
      case 'call': {
        const field = this.hasOf(ast);
        return field !== null && !this.textual(field) ? { field, op: 'is_set' } : null;
      }
    }
    return null;
  }

  /** negation reads !has(p) and !(has(p) && size(p) > 0) as not_set, !(has(p) && p == v) as ne. */
  private negation(x: Ast): Leaf | null {
    const field = this.hasOf(x);
    if (field !== null) return this.textual(field) ? null : { field, op: 'not_set' };
    if (x.t !== 'and' || x.items.length !== 2) return null;
    const f = this.hasOf(x.items[0]!);
    const inner = f === null ? null : this.guarded(f, x.items[1]!);
    if (!inner) return null;
    if (inner.op === 'is_set') return { field: inner.field, op: 'not_set' };
    if (inner.op === 'eq') return { field: inner.field, op: 'ne', value: inner.value! };
    return null;
  }

  /** guarded reads what may follow has(field): a comparison of that field, or size(field) > 0. */
  private guarded(field: string, ast: Ast): Leaf | null {
    if (ast.t === 'method' && ast.fn === 'contains' && this.pathOf(ast.target) === field && ast.args.length === 1) {
      const v = literal(ast.args[0]!);
      return typeof v === 'string' && fieldKind(this.fields, field).kind !== 'array' ? { field, op: 'contains', value: v } : null;
    }
    if (ast.t !== 'rel') return null;
    if (ast.op === '>' && ast.left.t === 'call' && ast.left.fn === 'size' && ast.left.args.length === 1 && this.pathOf(ast.left.args[0]!) === field) {
      const zero = literal(ast.right);
      return zero === 0 && this.textual(field) ? { field, op: 'is_set' } : null;
    }
    if (ast.op === 'in' && this.pathOf(ast.right) === field) {
      const v = literal(ast.left);
      return v !== undefined && fieldKind(this.fields, field).kind === 'array' ? { field, op: 'contains', value: v } : null;
    }
    if (this.pathOf(ast.left) !== field) return null;
    if (ast.op === 'in') {
      if (ast.right.t !== 'list') return null;
      const values = ast.right.items.map(literal);
      return values.every((v): v is Json => v !== undefined) ? { field, op: 'in', value: values } : null;
    }
    const value = literal(ast.right);
    const op = ({ '==': 'eq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const)[ast.op as '==' | '<' | '<=' | '>' | '>='];
    return value !== undefined && op ? { field, op, value } : null;
  }

  /** hasOf gives the field of has(record.field), else null. */
  private hasOf(ast: Ast): string | null {
    const x = strip(ast);
    return x.t === 'call' && x.fn === 'has' && x.args.length === 1 ? this.pathOf(x.args[0]!) : null;
  }

  private pathOf(ast: Ast): string | null {
    return ast.t === 'path' && ast.parts.length >= 2 && ast.parts[0] === 'record' ? ast.parts.slice(1).join('.') : null;
  }

  /** textual: the field's "set" means not empty too (text, lists). */
  private textual(field: string): boolean {
    const kind = fieldKind(this.fields, field).kind;
    return kind === 'string' || kind === 'array';
  }
}

function strip(ast: Ast): Ast {
  return ast.t === 'paren' ? strip(ast.x) : ast;
}

/** literal is the value of a literal (null is no value a comparison takes), else undefined. */
function literal(ast: Ast): Json | undefined {
  return ast.t === 'lit' && ast.value !== null ? ast.value : undefined;
}
