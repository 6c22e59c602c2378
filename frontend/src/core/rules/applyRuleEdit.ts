import type { Json, JsonObject } from '../designer/types';
import { setPath } from '../flows/setPath';
import type { RuleSetDesign } from './types';

/** RuleEdit is one change the rule editor makes. */
export type RuleEdit =
  | { kind: 'addRule'; handle: string; rule: JsonObject }
  | { kind: 'removeRule'; handle: string }
  | { kind: 'moveRule'; handle: string; by: -1 | 1 }
  | { kind: 'setRule'; handle: string; path: ReadonlyArray<string | number>; value: Json | undefined };

/**
 * applyRuleEdit returns the rule set with one edit made; the set given is not changed.
 * Rules keep their order (equal priorities fire in it), so moving one is an edit too.
 *
 * @example
 * applyRuleEdit(design, { kind: 'setRule', handle: 'n3', path: ['priority'], value: 50 })
 */
export function applyRuleEdit(design: RuleSetDesign, edit: RuleEdit): RuleSetDesign {
  switch (edit.kind) {
    case 'addRule':
      return { ...design, rules: [...design.rules, { handle: edit.handle, raw: edit.rule }] };
    case 'removeRule':
      return { ...design, rules: design.rules.filter((r) => r.handle !== edit.handle) };
    case 'moveRule': {
      const from = design.rules.findIndex((r) => r.handle === edit.handle);
      const to = from + edit.by;
      if (from < 0 || to < 0 || to >= design.rules.length) return design;
      const rules = [...design.rules];
      [rules[from], rules[to]] = [rules[to]!, rules[from]!];
      return { ...design, rules };
    }
    case 'setRule':
      return { ...design, rules: design.rules.map((r) => (r.handle === edit.handle ? { ...r, raw: setPath(r.raw, edit.path, edit.value) } : r)) };
  }
}
