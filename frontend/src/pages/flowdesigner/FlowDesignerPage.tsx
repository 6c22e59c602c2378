import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ApiError, type FieldProblem } from '../../core/api/apiError';
import { listRoles } from '../../core/api/adminEndpoints';
import { getDraft, getVersion, listDefinitions, listVersions, publish, rollback, saveDraft } from '../../core/api/automationEndpoints';
import type { ApiClient } from '../../core/api/client';
import { getFormAccess } from '../../core/api/endpoints';
import type { Localized } from '../../core/api/types';
import { isObject } from '../../core/designer/isObject';
import { newId } from '../../core/designer/newId';
import type { JsonObject } from '../../core/designer/types';
import { localized } from '../../core/forms/localized';
import { applyFlowEdit, type FlowEdit } from '../../core/flows/applyFlowEdit';
import { clearFlowProblems } from '../../core/flows/clearFlowProblems';
import { fromFlow } from '../../core/flows/fromFlow';
import { layoutFlow } from '../../core/flows/layoutFlow';
import { locateFlowProblems, type FlowProblems } from '../../core/flows/locateFlowProblems';
import { newNode } from '../../core/flows/newNode';
import { toFlow } from '../../core/flows/toFlow';
import type { ActionDo, FlowDesign, NodeType, Position } from '../../core/flows/types';
import { undoable, type Undoable, type UndoAction } from '../../core/flows/undoable';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { VersionHistory } from '../designer/VersionHistory';
import '../designer/designer.css';
import { FlowCanvas } from './FlowCanvas';
import { FlowPalette } from './FlowPalette';
import { PanelProvider, type PanelState } from './panelContext';
import { PropertyPanel } from './PropertyPanel';
import type { Selection } from './selection';
import './flowdesigner.css';

/** Loaded is what the designer opens with: the draft and its problems, or the latest version. */
interface Loaded {
  body: JsonObject;
  problems: FieldProblem[];
}

/** loadFlow reads the draft of a flow, or when it has none its latest published version. */
export async function loadFlow(api: ApiClient, tenant: string, key: string): Promise<Loaded> {
  try {
    const draft = await getDraft(api, tenant, 'flow', key);
    return { body: draft.body, problems: draft.problems ?? [] };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    const last = (await listVersions(api, tenant, 'flow', key)).at(-1);
    if (!last) throw err;
    return { body: (await getVersion(api, tenant, 'flow', key, last.version)).body ?? {}, problems: [] };
  }
}

type Action = UndoAction<FlowDesign> | { type: 'edit'; edit: FlowEdit };

/** flowHistory applies each edit to the flow as it is then, as one undo step. */
function flowHistory(h: Undoable<FlowDesign>, a: Action): Undoable<FlowDesign> {
  return a.type === 'edit' ? undoable(h, { type: 'set', value: applyFlowEdit(h.present, a.edit) }) : undoable(h, a);
}

/**
 * FlowDesignerPage is the flow designer of one flow (/designer/flows/:key): a palette
 * of step types, the flow on a node canvas (laid out automatically), a property panel
 * for the step or connection selected, saving the draft (the server compiles it, CEL
 * conditions included, and its problems land on the inputs they are about), publishing,
 * and the version history with rollback.
 */
export function FlowDesignerPage() {
  const { t } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const key = useParams().key ?? '';
  const loaded = useLoad(() => loadFlow(api, tenant, key), [api, tenant, key]);
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

type Busy = null | 'save' | 'publish' | 'versions';

function Designer({ flowKey, tenant, initial }: { flowKey: string; tenant: string; initial: Loaded }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const lang = i18n.language;
  const [h, dispatch] = useReducer(flowHistory, initial, (l) => ({ past: [], present: fromFlow(l.body), future: [] }));
  const design = h.present;
  const [saved, setSaved] = useState<FlowDesign>(design);
  const [problems, setProblems] = useState<FlowProblems>(() => locateFlowProblems(initial.problems, design));
  const [selection, setSelection] = useState<Selection>({ kind: 'flow' });
  const [moved, setMoved] = useState<Record<string, Position>>({});
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState(() => (initial.problems.length > 0 ? t('automation.flows.status.loadedProblems', { count: initial.problems.length }) : ''));
  const [note, setNote] = useState('');
  const [showVersions, setShowVersions] = useState(false);
  const versions = useLoad(() => listVersions(api, tenant, 'flow', flowKey), [api, tenant, flowKey]);
  const formKey = typeof design.rest['form'] === 'string' ? design.rest['form'] : '';
  const access = useLoad(() => (formKey ? getFormAccess(api, tenant, formKey) : Promise.resolve(undefined)), [api, tenant, formKey]);
  const flows = useLoad(() => listDefinitions(api, tenant, 'flow').catch(() => []), [api, tenant]);
  const roles = useLoad(() => listRoles(api, tenant).catch(() => []), [api, tenant]);
  const dirty = design !== saved;
  const latest = versions.data?.at(-1)?.version;
  const flowProblems = Object.values(problems.flow).reduce((n, l) => n + l.length, 0);
  const title = localized(isObject(design.rest['name']) ? (design.rest['name'] as Localized) : undefined, lang, flowKey);
  const formTitle = access.data ? localized(access.data.title, lang, formKey) : formKey;

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  // Laid out from the edges each time they change; a step the person moved stays put.
  const layout = useMemo(() => {
    const ids = design.nodes.map((n) => String(n.raw['id'] ?? n.handle));
    const auto = layoutFlow(ids, design.edges.map((e) => ({ from: String(e.raw['from']), to: String(e.raw['to']) })));
    const out: Record<string, Position> = {};
    design.nodes.forEach((n, i) => {
      out[n.handle] = moved[n.handle] ?? auto[ids[i]!] ?? { x: 0, y: 0 };
    });
    return out;
  }, [design.nodes, design.edges, moved]);

  const edit = useCallback((e: FlowEdit) => {
    dispatch({ type: 'edit', edit: e });
    setProblems((p) => clearFlowProblems(p, e));
  }, []);

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
    flows: (flows.data ?? []).map((d) => ({ value: d.key, label: d.key })),
    roles: (roles.data ?? []).map((r) => r.key),
  };

  const placeError = (err: unknown, snapshot: FlowDesign) => {
    if (err instanceof ApiError && err.fields.length > 0 && err.code === 'invalid_definition') {
      setProblems(locateFlowProblems(err.fields, snapshot));
      setStatus(t('automation.flows.status.refused', { count: err.fields.length }));
      return;
    }
    setError(err);
  };

  /** save stores the flow as the draft; the server compiles it and its problems land on the inputs. */
  const save = async (): Promise<{ valid: boolean; count: number } | null> => {
    const snapshot = design;
    setError(undefined);
    try {
      const draft = await saveDraft(api, tenant, 'flow', flowKey, toFlow(snapshot));
      const found = draft.problems ?? [];
      setSaved(snapshot);
      setProblems(locateFlowProblems(found, snapshot));
      setStatus(found.length > 0 ? t('automation.flows.status.problems', { count: found.length }) : t('automation.flows.status.ready'));
      return { valid: draft.valid && found.length === 0, count: found.length };
    } catch (err) {
      placeError(err, snapshot);
      return null;
    }
  };

  const onSave = async () => {
    setBusy('save');
    await save();
    setBusy(null);
  };

  const onPublish = async () => {
    setBusy('publish');
    const snapshot = design;
    const result = await save();
    if (result && !result.valid) setStatus(t('automation.flows.status.refused', { count: result.count }));
    if (result?.valid) {
      try {
        const v = await publish(api, tenant, 'flow', flowKey, note.trim());
        setStatus(t('automation.flows.status.published', { version: v.version }));
        setNote('');
        versions.reload();
      } catch (err) {
        if (err instanceof ApiError && err.code === 'unchanged') setStatus(t('automation.flows.status.unchanged'));
        else placeError(err, snapshot);
      }
    }
    setBusy(null);
  };

  const loadBody = (body: JsonObject) => {
    const next = fromFlow(body);
    dispatch({ type: 'load', value: next });
    setProblems(locateFlowProblems([], next));
    setSelection({ kind: 'flow' });
    setMoved({});
    return next;
  };

  const open = async (version: number) => {
    setBusy('versions');
    setError(undefined);
    try {
      loadBody((await getVersion(api, tenant, 'flow', flowKey, version)).body ?? {});
      setStatus(t('automation.flows.status.opened', { version }));
    } catch (err) {
      setError(err);
    }
    setBusy(null);
  };

  const onRollback = async (to: number) => {
    if (!window.confirm(t('designer.versions.rollbackConfirm', { version: to }))) return;
    setBusy('versions');
    setError(undefined);
    try {
      const v = await rollback(api, tenant, 'flow', flowKey, to, '');
      const body = (await getVersion(api, tenant, 'flow', flowKey, v.version)).body ?? {};
      await saveDraft(api, tenant, 'flow', flowKey, body);
      setSaved(loadBody(body));
      setStatus(t('automation.flows.status.rolledBack', { version: v.version, to }));
      versions.reload();
    } catch (err) {
      setError(err);
    }
    setBusy(null);
  };

  return (
    <section className="designer flow-designer">
      <p className="crumbs">
        <Link to="/designer/flows">{t('automation.flows.back')}</Link>
      </p>
      <h1>{t('automation.flows.title', { flow: title })}</h1>
      <div className="designer-toolbar" role="group" aria-label={t('designer.toolbar.label')}>
        <button type="button" onClick={() => dispatch({ type: 'undo' })} disabled={h.past.length === 0}>
          {t('designer.toolbar.undo')}
        </button>
        <button type="button" onClick={() => dispatch({ type: 'redo' })} disabled={h.future.length === 0}>
          {t('designer.toolbar.redo')}
        </button>
        <button type="button" onClick={() => setMoved({})} disabled={Object.keys(moved).length === 0}>
          {t('automation.flows.canvas.arrange')}
        </button>
        <button type="button" aria-pressed={showVersions} onClick={() => setShowVersions(!showVersions)}>
          {t('designer.toolbar.versions')}
        </button>
        <span className="toolbar-gap" />
        <label className="inline note">
          <span>{t('designer.toolbar.note')}</span>
          <input type="text" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </label>
        <button type="button" onClick={() => void onSave()} disabled={busy !== null}>
          {busy === 'save' ? t('designer.toolbar.saving') : t('designer.toolbar.save')}
        </button>
        <button type="button" className="primary" onClick={() => void onPublish()} disabled={busy !== null}>
          {busy === 'publish' ? t('designer.toolbar.publishing') : t('designer.toolbar.publish')}
        </button>
      </div>
      <p className="designer-status" role="status">
        {dirty ? t('automation.flows.status.unsaved') : status}{' '}
        <span className="meta">{latest ? t('automation.flows.status.current', { version: latest }) : versions.data ? t('automation.flows.status.notPublished') : ''}</span>
        {flowProblems > 0 ? (
          <>
            {' '}
            <button type="button" className="link problem" onClick={() => setSelection({ kind: 'flow' })}>
              {t('automation.flows.status.flowProblems', { count: flowProblems })}
            </button>
          </>
        ) : null}
      </p>
      {error ? <ErrorNotice error={error} /> : null}
      {showVersions ? <VersionHistory versions={versions} busy={busy !== null} onOpen={(n) => void open(n)} onRollback={(n) => void onRollback(n)} /> : null}
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
              onMoved={(handle, at) => setMoved((m) => ({ ...m, [handle]: at }))}
            />
            <p className="hint">{t('automation.flows.canvas.hint')}</p>
          </div>
          <PropertyPanel selection={selection} formTitle={formTitle} />
        </div>
      </PanelProvider>
    </section>
  );
}
