import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { DefinitionStatus } from '../../components/definitions/DefinitionStatus';
import { DefinitionToolbar } from '../../components/definitions/DefinitionToolbar';
import { VersionHistory } from '../../components/definitions/VersionHistory';
import { ApiError } from '../../core/api/apiError';
import { listRoles } from '../../core/api/adminEndpoints';
import { listDefinitions } from '../../core/api/automationEndpoints';
import { getFormAccess } from '../../core/api/endpoints';
import type { Localized } from '../../core/api/types';
import { isObject } from '../../core/designer/isObject';
import { newId } from '../../core/designer/newId';
import type { JsonObject } from '../../core/designer/types';
import { localized } from '../../core/forms/localized';
import { nameWithKey } from '../../core/forms/nameWithKey';
import { applyFlowEdit, type FlowEdit } from '../../core/flows/applyFlowEdit';
import { clearFlowProblems } from '../../core/flows/clearFlowProblems';
import { fromFlow } from '../../core/flows/fromFlow';
import { locateFlowProblems, type FlowProblems } from '../../core/flows/locateFlowProblems';
import { newNode } from '../../core/flows/newNode';
import { placeNodes } from '../../core/flows/placeNodes';
import { toFlow } from '../../core/flows/toFlow';
import type { ActionDo, FlowDesign, NodeType } from '../../core/flows/types';
import { loadDefinition, useDefinitionEditor, type DefinitionModel, type LoadedDefinition } from '../../hooks/useDefinitionEditor';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import '../designer/designer.css';
import { FlowCanvas } from './FlowCanvas';
import { FlowPalette } from './FlowPalette';
import { PanelProvider, type PanelState } from './panelContext';
import { PropertyPanel } from './PropertyPanel';
import type { Selection } from './selection';
import './flowdesigner.css';

/** flowModel edits a flow definition as steps and connections. */
const flowModel: DefinitionModel<FlowDesign, FlowEdit, FlowProblems> = {
  fromBody: fromFlow,
  toBody: toFlow,
  apply: applyFlowEdit,
  locate: locateFlowProblems,
  clear: clearFlowProblems,
};

/**
 * FlowDesignerPage is the flow designer of one flow (/designer/flows/:key): a palette
 * of step types, the flow on a node canvas (steps where their stored positions put them,
 * the others laid out automatically; a step dragged stores its new place), a property panel
 * for the step or connection selected, saving the draft (the server compiles it, CEL
 * conditions included, and its problems land on the inputs they are about), publishing,
 * and the version history with rollback.
 */
export function FlowDesignerPage() {
  const { t } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const key = useParams().key ?? '';
  const loaded = useLoad(() => loadDefinition(api, tenant, 'flow', key), [api, tenant, key]);
  if (loaded.error) {
    const missing = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <section>
        <p className="crumbs">
          <Link to="/designer/flows">{t('automation.flows.back')}</Link>
        </p>
        {missing ? <p className="notice">{t('automation.flows.notFound')}</p> : <ErrorNotice error={loaded.error} />}
      </section>
    );
  }
  if (!loaded.data) return <p className="loading">{t('app.loading')}</p>;
  return <Designer key={key} flowKey={key} tenant={tenant} initial={loaded.data} />;
}

function Designer({ flowKey, tenant, initial }: { flowKey: string; tenant: string; initial: LoadedDefinition }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const lang = i18n.language;
  const [selection, setSelection] = useState<Selection>({ kind: 'flow' });
  const editor = useDefinitionEditor({
    kind: 'flow',
    definitionKey: flowKey,
    tenant,
    initial,
    model: flowModel,
    words: 'automation.flows.status',
    confirm: 'designer.versions.rollbackConfirm',
    onLoad: () => setSelection({ kind: 'flow' }),
  });
  const { design, problems, edit } = editor;
  const formKey = typeof design.rest['form'] === 'string' ? design.rest['form'] : '';
  const access = useLoad(() => (formKey ? getFormAccess(api, tenant, formKey) : Promise.resolve(undefined)), [api, tenant, formKey]);
  const flows = useLoad(() => listDefinitions(api, tenant, 'flow').catch(() => []), [api, tenant]);
  const roles = useLoad(() => listRoles(api, tenant).catch(() => []), [api, tenant]);
  const flowProblems = Object.values(problems.flow).reduce((n, l) => n + l.length, 0);
  const title = localized(isObject(design.rest['name']) ? (design.rest['name'] as Localized) : undefined, lang, flowKey);
  const formTitle = access.data ? localized(access.data.title, lang, formKey) : formKey;

  // A step stays where its stored position puts it; the others are laid out from the edges.
  const layout = useMemo(() => placeNodes({ nodes: design.nodes, edges: design.edges }), [design.nodes, design.edges]);
  const placed = design.nodes.some((n) => Object.hasOwn(n.raw, 'position'));

  const add = (type: NodeType, action?: ActionDo) => {
    const handle = newId();
    const taken = design.nodes.map((n) => String(n.raw['id'] ?? ''));
    const name: JsonObject = {
      'zh-CN': type === 'action' && action ? i18n.t(`automation.flows.dos.${action}`, { lng: 'zh-CN' }) : i18n.t(`automation.flows.types.${type}`, { lng: 'zh-CN' }),
      en: type === 'action' && action ? i18n.t(`automation.flows.dos.${action}`, { lng: 'en' }) : i18n.t(`automation.flows.types.${type}`, { lng: 'en' }),
    };
    edit({ kind: 'addNode', handle, node: newNode(type, taken, name as Record<string, string>, action) });
    setSelection({ kind: 'node', handle });
  };

  const panel: PanelState = {
    design,
    problems,
    edit,
    select: setSelection,
    fields: (access.data?.fields ?? []).map((f) => ({ value: f.name, label: f.label ? `${localized(f.label, lang, f.name)} (${f.name})` : f.name })),
    flows: (flows.data ?? []).map((d) => ({ value: d.key, label: nameWithKey(d.title, lang, d.key) })),
    roles: (roles.data ?? []).map((r) => r.key),
  };

  return (
    <section className="designer flow-designer">
      <p className="crumbs">
        <Link to="/designer/flows">{t('automation.flows.back')}</Link>
      </p>
      <h1>{t('automation.flows.title', { flow: title })}</h1>
      <DefinitionToolbar
        editor={editor}
        words="designer"
        undo
        extra={
          <button type="button" onClick={() => edit({ kind: 'arrange' })} disabled={!placed}>
            {t('automation.flows.canvas.arrange')}
          </button>
        }
      />
      <DefinitionStatus editor={editor} words="automation.flows.status">
        {flowProblems > 0 ? (
          <>
            {' '}
            <button type="button" className="link problem" onClick={() => setSelection({ kind: 'flow' })}>
              {t('automation.flows.status.flowProblems', { count: flowProblems })}
            </button>
          </>
        ) : null}
      </DefinitionStatus>
      {editor.error ? <ErrorNotice error={editor.error} /> : null}
      <VersionHistory id="designer-versions" className="designer-versions card" words="designer" editor={editor} />
      <PanelProvider value={panel}>
        <div className="designer-grid flow-grid">
          <FlowPalette onAdd={add} />
          <div className="flow-canvas-wrap">
            <FlowCanvas
              design={design}
              positions={layout}
              selection={selection}
              problems={problems}
              onSelect={setSelection}
              onConnect={(from, to) => edit({ kind: 'connect', handle: newId(), from, to })}
              onMoved={(handle, at) => edit({ kind: 'moveNode', handle, at })}
            />
            <p className="hint">{t('automation.flows.canvas.hint')}</p>
          </div>
          <PropertyPanel selection={selection} formTitle={formTitle} />
        </div>
      </PanelProvider>
    </section>
  );
}
