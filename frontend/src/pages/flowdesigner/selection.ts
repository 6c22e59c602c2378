/** Selection is what the flow designer's property panel shows: the flow, a step or a connection (by handle). */
export type Selection = { kind: 'flow' } | { kind: 'node'; handle: string } | { kind: 'edge'; handle: string };
