import loanApproval from '../../../../schemas/templates/lending/flows/loan_approval.json';
import type { JsonObject } from '../designer/types';
import { applyFlowEdit } from './applyFlowEdit';
import { fromFlow } from './fromFlow';
import { toFlow } from './toFlow';
import type { FlowDesign } from './types';

const design = () => fromFlow(structuredClone(loanApproval) as JsonObject);
const handleOf = (d: FlowDesign, id: string) => d.nodes.find((n) => n.raw['id'] === id)!.handle;
const edgesOf = (d: FlowDesign, id: string) => d.edges.filter((e) => e.raw['from'] === id || e.raw['to'] === id).map((e) => e.raw);

describe('applyFlowEdit', () => {
  it('adds, connects and removes a node with its edges', () => {
    let d = design();
    d = applyFlowEdit(d, { kind: 'addNode', handle: 'new', node: { id: 'fraud_review', type: 'approval', candidates: [{ role: 'fraud' }] } });
    d = applyFlowEdit(d, { kind: 'connect', handle: 'e1', from: 'fraud_review', to: 'approve' });
    d = applyFlowEdit(d, { kind: 'connect', handle: 'e2', from: 'fraud_review', to: 'review_reject' });
    d = applyFlowEdit(d, { kind: 'connect', handle: 'e3', from: 'risk_gate', to: 'fraud_review' });
    expect(edgesOf(d, 'fraud_review')).toEqual([
      { from: 'fraud_review', to: 'approve', decision: 'approve' },
      { from: 'fraud_review', to: 'review_reject', decision: 'reject' },
      // The gateway has its default already: this edge needs a condition.
      { from: 'risk_gate', to: 'fraud_review' },
    ]);
    // Neither a loop nor the same edge twice.
    expect(applyFlowEdit(d, { kind: 'connect', handle: 'e4', from: 'fraud_review', to: 'fraud_review' })).toBe(d);
    expect(applyFlowEdit(d, { kind: 'connect', handle: 'e4', from: 'fraud_review', to: 'approve' })).toBe(d);
    const removed = applyFlowEdit(d, { kind: 'removeNode', handle: 'new' });
    expect(toFlow(removed)).toEqual(loanApproval);
  });

  it('makes the first edge leaving a new gateway its default', () => {
    let d = applyFlowEdit(design(), { kind: 'addNode', handle: 'g', node: { id: 'g', type: 'gateway' } });
    d = applyFlowEdit(d, { kind: 'connect', handle: 'e1', from: 'g', to: 'approve' });
    d = applyFlowEdit(d, { kind: 'connect', handle: 'e2', from: 'g', to: 'cancelled' });
    expect(edgesOf(d, 'g')).toEqual([{ from: 'g', to: 'approve', default: true }, { from: 'g', to: 'cancelled' }]);
  });

  it('renames a node and the edges that name it', () => {
    const base = design();
    const renamed = applyFlowEdit(base, { kind: 'renameNode', handle: handleOf(base, 'credit_review'), id: 'review' });
    expect(edgesOf(renamed, 'credit_review')).toEqual([]);
    expect(edgesOf(renamed, 'review').map((e) => `${String(e['from'])}>${String(e['to'])}`)).toEqual(['machine_pass>review', 'review>amount_gate', 'review>review_reject']);
  });

  it('sets node and edge members in place, and the flow’s own', () => {
    const base = design();
    let d = applyFlowEdit(base, { kind: 'setNode', handle: handleOf(base, 'credit_review'), path: ['sla', 'after'], value: '24h' });
    const gateEdge = d.edges.find((e) => e.raw['from'] === 'amount_gate' && e.raw['condition'])!;
    d = applyFlowEdit(d, { kind: 'setEdge', handle: gateEdge.handle, path: ['condition'], value: 'record.amount > 300000.0' });
    d = applyFlowEdit(d, { kind: 'setFlow', member: 'description', value: undefined });
    const out = toFlow(d) as typeof loanApproval;
    expect(out.nodes.find((n) => n.id === 'credit_review')?.sla).toEqual({ after: '24h', action: 'escalate', to: { role: 'senior_reviewer' } });
    expect(out.edges.find((e) => e.from === 'amount_gate' && e.condition)?.condition).toBe('record.amount > 300000.0');
    expect(Object.keys(out)).toEqual(['key', 'form', 'name', 'nodes', 'edges']);
  });

  it('changes what an action does, dropping the members the new one refuses', () => {
    const base = design();
    const d = applyFlowEdit(base, { kind: 'setDo', handle: handleOf(base, 'approve'), action: 'webhook' });
    expect(d.nodes.find((n) => n.raw['id'] === 'approve')?.raw).toEqual({ id: 'approve', type: 'action', do: 'webhook', name: { 'zh-CN': '批准', en: 'Approve' }, url: '' });
  });
});
