import { useTranslation } from 'react-i18next';
import { problemsUnder } from '../../core/flows/problemsUnder';
import { EdgeFields } from './EdgeFields';
import { LocalizedInput, Problems } from './Inputs';
import { NodePanel } from './NodePanel';
import { usePanel } from './panelContext';
import type { Selection } from './selection';

/** PropertyPanel shows the properties of what is selected: the flow, a step, or a connection. */
export function PropertyPanel({ selection, formTitle }: { selection: Selection; formTitle: string }) {
  const { t } = useTranslation();
  const { design, problems, edit, select } = usePanel();
  const node = selection.kind === 'node' ? design.nodes.find((n) => n.handle === selection.handle) : undefined;
  const edge = selection.kind === 'edge' ? design.edges.find((e) => e.handle === selection.handle) : undefined;
  return (
    <aside className="designer-panel flow-panel card" aria-label={t('automation.flows.panel.heading')}>
      {node ? <NodePanel key={node.handle} node={node} /> : null}
      {edge ? (
        <>
          <h2>{t('automation.flows.panel.edge')}</h2>
          <EdgeFields key={edge.handle} edge={edge} full />
          <button
            type="button"
            className="danger"
            onClick={() => {
              edit({ kind: 'removeEdge', handle: edge.handle });
              select({ kind: 'flow' });
            }}
          >
            {t('automation.flows.panel.removeEdge')}
          </button>
        </>
      ) : null}
      {!node && !edge ? (
        <>
          <h2>{t('automation.flows.panel.flow')}</h2>
          <p className="meta">
            {t('automation.flows.panel.flowKey', { key: String(design.rest['key'] ?? '') })}
            <br />
            {t('automation.flows.panel.flowForm', { form: formTitle })}
          </p>
          <LocalizedInput id="flow-name" label={t('automation.flows.panel.name')} value={design.rest['name']} onChange={(v) => edit({ kind: 'setFlow', member: 'name', value: v })} problems={problemsUnder(problems.flow, 'name')} />
          <LocalizedInput
            id="flow-description"
            label={t('automation.flows.panel.description')}
            value={design.rest['description']}
            onChange={(v) => edit({ kind: 'setFlow', member: 'description', value: v })}
            problems={problemsUnder(problems.flow, 'description')}
          />
          {Object.entries(problems.flow).some(([k, l]) => l.length > 0 && !k.startsWith('name') && !k.startsWith('description')) ? (
            <section aria-label={t('automation.flows.panel.flowProblems')}>
              <h3>{t('automation.flows.panel.flowProblems')}</h3>
              <Problems
                id="flow-problems"
                problems={Object.entries(problems.flow)
                  .filter(([k]) => !k.startsWith('name') && !k.startsWith('description'))
                  .flatMap(([, l]) => l)}
              />
            </section>
          ) : null}
        </>
      ) : null}
    </aside>
  );
}
