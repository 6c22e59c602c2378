import type { Position } from './types';

/** Spacing of the layout: columns and layers apart, in canvas pixels. */
export const LAYOUT = { column: 230, layer: 120 } as const;

/**
 * layoutFlow places nodes in layers down the canvas, the way the flow runs: each node
 * one layer below the furthest node leading to it (edges that lead back, as a return
 * loop would, are not followed), nodes without a way in starting at the top. Within a
 * layer nodes sit in the order of their predecessors (two barycentre sweeps), so
 * branches keep apart and edges cross little. Ids missing from nodes are ignored.
 *
 * @example
 * layoutFlow(['a', 'b', 'c'], [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }])
 * // { a: { x: 115, y: 0 }, b: { x: 0, y: 120 }, c: { x: 230, y: 120 } }
 */
export function layoutFlow(nodes: readonly string[], edges: ReadonlyArray<{ from: string; to: string }>): Record<string, Position> {
  const ids = [...new Set(nodes)];
  const known = new Set(ids);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  const inc = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) {
    if (!known.has(e.from) || !known.has(e.to) || e.from === e.to) continue;
    out.get(e.from)!.push(e.to);
    inc.get(e.to)!.push(e.from);
  }
  // Drop the edges that close a cycle (found by a depth-first walk from the roots).
  const forward = new Map<string, string[]>(ids.map((id) => [id, []]));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const next of out.get(id)!) {
      const s = state.get(next);
      if (s === 'open') continue;
      forward.get(id)!.push(next);
      if (s === undefined) visit(next);
    }
    state.set(id, 'done');
  };
  const roots = ids.filter((id) => inc.get(id)!.length === 0);
  for (const id of [...roots, ...ids]) if (!state.has(id)) visit(id);

  // Longest path from a root decides the layer.
  const layer = new Map<string, number>();
  const order = topological(ids, forward);
  for (const id of order) {
    if (!layer.has(id)) layer.set(id, 0);
    for (const next of forward.get(id)!) layer.set(next, Math.max(layer.get(next) ?? 0, layer.get(id)! + 1));
  }
  const layers: string[][] = [];
  for (const id of order) (layers[layer.get(id)!] ??= []).push(id);

  const back = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [from, tos] of forward) for (const to of tos) back.get(to)!.push(from);
  const index = new Map<string, number>();
  const place = () => layers.forEach((l) => l.forEach((id, i) => index.set(id, i)));
  place();
  for (let sweep = 0; sweep < 2; sweep++) {
    for (const l of layers.slice(1)) {
      const center = (id: string) => {
        const ps = back.get(id)!;
        return ps.length === 0 ? index.get(id)! : ps.reduce((s, p) => s + index.get(p)!, 0) / ps.length;
      };
      const keyed = l.map((id, i) => ({ id, key: center(id), i }));
      keyed.sort((a, b) => a.key - b.key || a.i - b.i);
      l.splice(0, l.length, ...keyed.map((k) => k.id));
      l.forEach((id, i) => index.set(id, i));
    }
  }
  const widest = Math.max(1, ...layers.map((l) => l.length));
  const positions: Record<string, Position> = {};
  layers.forEach((l, depth) => {
    const offset = ((widest - l.length) * LAYOUT.column) / 2;
    l.forEach((id, i) => {
      positions[id] = { x: offset + i * LAYOUT.column, y: depth * LAYOUT.layer };
    });
  });
  return positions;
}

/** topological orders ids so each comes before those its (acyclic) edges lead to, keeping the given order otherwise. */
function topological(ids: readonly string[], forward: Map<string, string[]>): string[] {
  const indeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const tos of forward.values()) for (const to of tos) indeg.set(to, indeg.get(to)! + 1);
  const queue = ids.filter((id) => indeg.get(id) === 0);
  const out: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    out.push(id);
    for (const next of forward.get(id)!) {
      indeg.set(next, indeg.get(next)! - 1);
      if (indeg.get(next) === 0) queue.push(next);
    }
  }
  return out;
}
