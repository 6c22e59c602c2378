import {
  Background,
  Controls,
  Handle,
  MarkerType,
  Position as Side,
  ReactFlow,
  applyNodeChanges,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
  type NodeProps,
  type ReactFlowInstance,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isObject } from '../../core/designer/isObject';
import type { JsonObject, Localized } from '../../core/designer/types';
import { localized } from '../../core/forms/localized';
import type { FlowProblems } from '../../core/flows/locateFlowProblems';
import type { FlowDesign, Position } from '../../core/flows/types';
import { stepLabel } from './stepLabel';
import type { Selection } from './selection';

interface StepData extends Record<string, unknown> {
  type: string;
  typeLabel: string;
  name: string;
  id: string;
  problems: number;
  problemsText: string;
}

type StepNode = Node<StepData, 'step'>;

/** StepView draws one step: its kind, its name and id, its problem count; handles in and out. */
function StepView({ data, selected }: NodeProps<StepNode>) {
  const classes = ['flow-step', `step-${data.type}`, selected ? 'selected' : '', data.problems > 0 ? 'has-problems' : ''].filter(Boolean).join(' ');
  return (
    <div className={classes}>
      {data.type !== 'start' ? <Handle type="target" position={Side.Top} /> : null}
      <span className="step-kind">{data.typeLabel}</span>
      <span className="step-name">{data.name}</span>
      {data.name !== data.id ? <code className="step-id">{data.id}</code> : null}
      {data.problems > 0 ? <span className="step-problems">{data.problemsText}</span> : null}
      {data.type !== 'end' ? <Handle type="source" position={Side.Bottom} /> : null}
    </div>
  );
}

const nodeTypes = { step: StepView };

/** STEP_WIDTH is a step's width on the canvas (flowdesigner.css). */
const STEP_WIDTH = 180;

/**
 * FlowCanvas draws the flow as a node canvas (React Flow): steps where the layout or
 * the person put them, connections with their decision, condition or default. Choosing
 * a step or a connection selects it for the property panel; dragging from a step's
 * lower handle to another step connects them; a moved step reports where it went.
 */
export function FlowCanvas({
  design,
  positions,
  selection,
  problems,
  onSelect,
  onConnect,
  onMoved,
}: {
  design: FlowDesign;
  positions: Record<string, Position>;
  selection: Selection;
  problems: FlowProblems;
  onSelect: (s: Selection) => void;
  onConnect: (from: string, to: string) => void;
  onMoved: (handle: string, at: Position) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;

  const built = useMemo<StepNode[]>(
    () =>
      design.nodes.map((n) => {
        // A step counts the problems of the connections leaving it too: its panel edits them.
        const leaving = design.edges.filter((e) => e.raw['from'] === n.raw['id']).map((e) => problems.edges[e.handle] ?? {});
        const count = [problems.nodes[n.handle] ?? {}, ...leaving].reduce((s, own) => s + Object.values(own).reduce((x, l) => x + l.length, 0), 0);
        const { type, typeLabel, name, id } = stepLabel(n.raw, lang, t);
        return {
          id: n.handle,
          type: 'step',
          position: positions[n.handle] ?? { x: 0, y: 0 },
          data: { type, typeLabel, name, id, problems: count, problemsText: t('automation.flows.canvas.problems', { count }) },
          selected: selection.kind === 'node' && selection.handle === n.handle,
          ariaLabel: t('automation.flows.canvas.node', { type: typeLabel, name }),
          ariaRole: 'button',
        };
      }),
    [design.nodes, design.edges, positions, problems.nodes, problems.edges, selection, lang, t],
  );
  const [nodes, setNodes] = useState<StepNode[]>(built);
  useEffect(() => {
    // Keep the sizes React Flow measured; the rest comes from the flow.
    setNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      return built.map((n) => {
        const measured = old.get(n.id)?.measured;
        return measured ? { ...n, measured } : n;
      });
    });
  }, [built]);

  const handleOf = useMemo(() => {
    const m = new Map<string, string>();
    for (const n of design.nodes) if (typeof n.raw['id'] === 'string' && !m.has(n.raw['id'])) m.set(n.raw['id'], n.handle);
    return m;
  }, [design.nodes]);

  const edges: Edge[] = design.edges.flatMap((e) => {
    const source = handleOf.get(String(e.raw['from']));
    const target = handleOf.get(String(e.raw['to']));
    if (!source || !target) return [];
    const bad = Object.keys(problems.edges[e.handle] ?? {}).length > 0;
    const label = edgeLabel(e.raw, lang, t);
    return [
      {
        id: e.handle,
        source,
        target,
        type: 'smoothstep',
        markerEnd: { type: MarkerType.ArrowClosed },
        selected: selection.kind === 'edge' && selection.handle === e.handle,
        ...(bad ? { className: 'has-problems' } : {}),
        ...(label ? { label } : {}),
        ariaLabel: t('automation.flows.panel.editEdge', { to: String(e.raw['to']) }),
      },
    ];
  });

  const onNodesChange = (changes: NodeChange<StepNode>[]) => {
    setNodes((ns) => applyNodeChanges(changes, ns));
    const picked = changes.find((c) => c.type === 'select' && c.selected);
    if (picked && picked.type === 'select') onSelect({ kind: 'node', handle: picked.id });
  };
  const onEdgesChange = (changes: EdgeChange[]) => {
    const picked = changes.find((c) => c.type === 'select' && c.selected);
    if (picked && picked.type === 'select') onSelect({ kind: 'edge', handle: picked.id });
  };
  // The whole of a long flow would be too small to read: start at its top, as wide as fits.
  const wrap = useRef<HTMLDivElement>(null);
  const onInit = (rf: ReactFlowInstance<StepNode, Edge>) => {
    const spots = Object.values(positions);
    if (spots.length === 0) return;
    const width = wrap.current?.clientWidth || 800;
    const minX = Math.min(...spots.map((p) => p.x));
    const span = Math.max(...spots.map((p) => p.x)) + STEP_WIDTH - minX;
    const zoom = Math.max(0.5, Math.min(1, (width - 40) / span));
    void rf.setViewport({ x: (width - span * zoom) / 2 - minX * zoom, y: 24 - Math.min(...spots.map((p) => p.y)) * zoom, zoom });
  };
  const connect = (c: Connection) => {
    const from = design.nodes.find((n) => n.handle === c.source)?.raw['id'];
    const to = design.nodes.find((n) => n.handle === c.target)?.raw['id'];
    if (typeof from === 'string' && typeof to === 'string') onConnect(from, to);
  };

  return (
    <div className="flow-canvas" role="region" aria-label={t('automation.flows.canvas.label')} ref={wrap}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={connect}
        onPaneClick={() => onSelect({ kind: 'flow' })}
        deleteKeyCode={null}
        onInit={onInit}
        onNodeDragStop={(_e, node) => onMoved(node.id, node.position)}
        minZoom={0.2}
        ariaLabelConfig={{
          'node.a11yDescription.default': t('automation.flows.canvas.a11y.node'),
          'node.a11yDescription.keyboardDisabled': t('automation.flows.canvas.a11y.nodeKeyboardDisabled'),
          'edge.a11yDescription.default': t('automation.flows.canvas.a11y.edge'),
          'controls.ariaLabel': t('automation.flows.canvas.a11y.controls'),
          'controls.zoomIn.ariaLabel': t('automation.flows.canvas.a11y.zoomIn'),
          'controls.zoomOut.ariaLabel': t('automation.flows.canvas.a11y.zoomOut'),
          'controls.fitView.ariaLabel': t('automation.flows.canvas.a11y.fitView'),
          'controls.interactive.ariaLabel': t('automation.flows.canvas.a11y.interactive'),
          'handle.ariaLabel': t('automation.flows.canvas.a11y.handle'),
        }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

/** edgeLabel is what a connection shows: its decision, its label or condition, or that it is the default. */
function edgeLabel(raw: JsonObject, lang: string, t: TFunction): string {
  const name = isObject(raw['name']) ? localized(raw['name'] as Localized, lang, '') : '';
  const decision = raw['decision'];
  if (decision === 'approve' || decision === 'reject') return [t(decision === 'approve' ? 'automation.flows.canvas.approve' : 'automation.flows.canvas.reject'), name].filter(Boolean).join(' · ');
  if (raw['default'] === true) return [t('automation.flows.canvas.otherwise'), name].filter(Boolean).join(' · ');
  if (name) return name;
  const cond = typeof raw['condition'] === 'string' ? raw['condition'] : '';
  return cond.length > 40 ? `${cond.slice(0, 39)}…` : cond;
}
