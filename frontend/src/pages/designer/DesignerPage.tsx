import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ApiError, type FieldProblem } from '../../core/api/apiError';
import type { ApiClient } from '../../core/api/client';
import {
  getFormDraft,
  getFormVersion,
  listFormVersions,
  publishForm,
  rollbackForm,
  saveFormDraft,
} from '../../core/api/designerEndpoints';
import type { Localized } from '../../core/api/types';
import type { Edit } from '../../core/designer/applyEdit';
import { clearProblems } from '../../core/designer/clearProblems';
import type { DropMakers } from '../../core/designer/dropEdit';
import type { FieldTypeId, LayoutTypeId } from '../../core/designer/fieldTypes';
import { fromDefinition } from '../../core/designer/fromDefinition';
import { history } from '../../core/designer/history';
import { insertEdit, type Selection } from '../../core/designer/insertEdit';
import { isObject } from '../../core/designer/isObject';
import { locateProblems, type ProblemMap } from '../../core/designer/locateProblems';
import { newField } from '../../core/designer/newField';
import { newSection } from '../../core/designer/newSection';
import { toDefinition } from '../../core/designer/toDefinition';
import type { DesignTree, JsonObject } from '../../core/designer/types';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { Canvas } from './Canvas';
import { DesignerProvider, type Designer as DesignerState } from './DesignerContext';
import { DesignerDnd } from './DesignerDnd';
import { Palette } from './Palette';
import { Preview } from './Preview';
import { PropertyPanel } from './PropertyPanel';
import { VersionHistory } from './VersionHistory';
import './designer.css';

/** Loaded is what the designer opens with: the draft's body and problems, or the latest version's body. */
interface Loaded {
  body: JsonObject;
  problems: FieldProblem[];
}

/** loadDesign reads the draft of a form, or when it has none its latest published version. */
async function loadDesign(api: ApiClient, tenant: string, key: string): Promise<Loaded> {
  try {
    const draft = await getFormDraft(api, tenant, key);
    return { body: draft.body, problems: draft.problems ?? [] };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    const versions = await listFormVersions(api, tenant, key);
    const last = versions.at(-1);
    if (!last) throw err;
    const v = await getFormVersion(api, tenant, key, last.version);
    return { body: v.body ?? {}, problems: [] };
  }
}

/**
 * DesignerPage is the form designer of one form (/designer/forms/:key): a palette of
 * field types, the form's sections and fields on a canvas (drag and drop, keyboard
 * too), a property panel for what is selected, a live preview, saving the draft (the
 * server checks it and its problems land on the fields they are about), publishing,
 * and the version history with rollback.
 */
export function DesignerPage() {
  const { t } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const key = useParams().key ?? '';
  const loaded = useLoad(() => loadDesign(api, tenant, key), [api, tenant, key]);

  if (loaded.error) {
    const missing = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <section>
        <p className="crumbs">
          <Link to="/designer/forms">{t('designer.back')}</Link>
        </p>
        {missing ? <p className="notice">{t('designer.notFound')}</p> : <ErrorNotice error={loaded.error} />}
        {missing ? <Link to="/designer/new">{t('designer.newForm')}</Link> : null}
      </section>
    );
  }
  if (!loaded.data) return <p className="loading">{t('app.loading')}</p>;
  return <Designer key={key} formKey={key} tenant={tenant} initial={loaded.data} />;
}

type Busy = null | 'save' | 'publish' | 'versions';

function Designer({ formKey, tenant, initial }: { formKey: string; tenant: string; initial: Loaded }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [h, dispatch] = useReducer(history, initial, (l) => ({ past: [], present: fromDefinition(l.body), future: [] }));
  const tree = h.present;
  const [saved, setSaved] = useState<DesignTree>(tree);
  const [problems, setProblems] = useState<ProblemMap>(() => locateProblems(initial.problems, tree));
  const [selection, setSelection] = useState<Selection>({ type: 'form' });
  const [mode, setMode] = useState<'design' | 'preview'>('design');
  const [showVersions, setShowVersions] = useState(false);
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState(() => (initial.problems.length > 0 ? t('designer.status.loadedProblems', { count: initial.problems.length }) : ''));
  const [note, setNote] = useState('');
  const versions = useLoad(() => listFormVersions(api, tenant, formKey), [api, tenant, formKey]);
  const dirty = tree !== saved;
  const latest = versions.data?.at(-1)?.version;
  const lang = i18n.language;
  // Problems of the form itself are marked on no field: the status line leads to them.
  const formProblems = Object.values(problems.form).reduce((n, l) => n + l.length, 0);
  const title = localized(isObject(tree.rest['title']) ? (tree.rest['title'] as Localized) : undefined, lang, formKey);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  // New fields and sections are labelled in every language the form is written in.
  const make: DropMakers = useMemo(() => {
    const both = (key: string, values: Record<string, unknown> = {}): JsonObject => ({
      'zh-CN': String(i18n.t(key as never, { ...values, lng: 'zh-CN' })),
      en: String(i18n.t(key as never, { ...values, lng: 'en' })),
    });
    return {
      field: (kind, taken) =>
        newField(kind, taken, {
          label: both(`designer.types.${kind}`),
          option: (n) => both('designer.defaults.option', { n }),
          column: both('designer.defaults.column'),
        }),
      section: (kind, taken) => newSection(taken, both('designer.defaults.section'), kind === 'columns' ? 2 : 1),
    };
  }, [i18n]);

  const edit = useCallback((e: Edit) => {
    dispatch({ type: 'edit', edit: e });
    setProblems((p) => clearProblems(p, e));
    if (e.kind === 'addField' || e.kind === 'addColumn') setSelection({ type: 'field', id: e.node.id });
    if (e.kind === 'addSection') setSelection({ type: 'section', id: e.section.id });
  }, []);

  const add = (kind: FieldTypeId | LayoutTypeId) => {
    const e = insertEdit(tree, kind, selection, make);
    if (e) edit(e);
  };

  const designer: DesignerState = { tree, edit, selection, select: setSelection, problems };

  /** save stores the tree as the draft; the answer's problems land on the fields. */
  const save = async (): Promise<{ valid: boolean; count: number } | null> => {
    const snapshot = tree;
    setError(undefined);
    try {
      const draft = await saveFormDraft(api, tenant, formKey, toDefinition(snapshot));
      const found = draft.problems ?? [];
      setSaved(snapshot);
      setProblems(locateProblems(found, snapshot));
      setStatus(found.length > 0 ? t('designer.status.problems', { count: found.length }) : t('designer.status.ready'));
      return { valid: draft.valid && found.length === 0, count: found.length };
    } catch (err) {
      placeError(err, snapshot);
      return null;
    }
  };

  const placeError = (err: unknown, snapshot: DesignTree) => {
    if (err instanceof ApiError && err.fields.length > 0 && err.code === 'invalid_definition') {
      setProblems(locateProblems(err.fields, snapshot));
      setStatus(t('designer.status.refused', { count: err.fields.length }));
      return;
    }
    setError(err);
  };

  const onSave = async () => {
    setBusy('save');
    await save();
    setBusy(null);
  };

  const onPublish = async () => {
    setBusy('publish');
    const snapshot = tree;
    const result = await save();
    if (result && !result.valid) setStatus(t('designer.status.refused', { count: result.count }));
    if (result?.valid) {
      try {
        const v = await publishForm(api, tenant, formKey, note.trim());
        setStatus(t('designer.status.published', { version: v.version }));
        setNote('');
        versions.reload();
      } catch (err) {
        if (err instanceof ApiError && err.code === 'unchanged') setStatus(t('designer.status.unchanged'));
        else placeError(err, snapshot);
      }
    }
    setBusy(null);
  };

  const open = async (version: number) => {
    setBusy('versions');
    setError(undefined);
    try {
      const v = await getFormVersion(api, tenant, formKey, version);
      const next = fromDefinition(v.body ?? {});
      dispatch({ type: 'load', tree: next });
      setProblems(locateProblems([], next));
      setSelection({ type: 'form' });
      setStatus(t('designer.status.opened', { version }));
    } catch (err) {
      setError(err);
    }
    setBusy(null);
  };

  const rollback = async (to: number) => {
    if (!window.confirm(t('designer.versions.rollbackConfirm', { version: to }))) return;
    setBusy('versions');
    setError(undefined);
    try {
      const v = await rollbackForm(api, tenant, formKey, to, '');
      const full = await getFormVersion(api, tenant, formKey, v.version);
      const body = full.body ?? {};
      await saveFormDraft(api, tenant, formKey, body);
      const next = fromDefinition(body);
      dispatch({ type: 'load', tree: next });
      setSaved(next);
      setProblems(locateProblems([], next));
      setSelection({ type: 'form' });
      setStatus(t('designer.status.rolledBack', { version: v.version, to }));
      versions.reload();
    } catch (err) {
      setError(err);
    }
    setBusy(null);
  };

  return (
    <section className="designer">
      <p className="crumbs">
        <Link to="/designer/forms">{t('designer.back')}</Link>
        {latest ? (
          <>
            {' · '}
            <Link to={`/forms/${encodeURIComponent(formKey)}/records`}>{t('designer.openRecords')}</Link>
          </>
        ) : null}
      </p>
      <h1>{t('designer.title', { form: title })}</h1>
      <div className="designer-toolbar" role="group" aria-label={t('designer.toolbar.label')}>
        <button type="button" onClick={() => dispatch({ type: 'undo' })} disabled={h.past.length === 0}>
          {t('designer.toolbar.undo')}
        </button>
        <button type="button" onClick={() => dispatch({ type: 'redo' })} disabled={h.future.length === 0}>
          {t('designer.toolbar.redo')}
        </button>
        <span className="toolbar-gap" />
        <button type="button" aria-pressed={mode === 'design'} onClick={() => setMode('design')}>
          {t('designer.toolbar.design')}
        </button>
        <button type="button" aria-pressed={mode === 'preview'} onClick={() => setMode('preview')}>
          {t('designer.toolbar.preview')}
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
        {dirty ? t('designer.status.unsaved') : status}{' '}
        <span className="meta">{latest ? t('designer.status.current', { version: latest }) : versions.data ? t('designer.status.notPublished') : ''}</span>
        {formProblems > 0 ? (
          <>
            {' '}
            <button type="button" className="link problem" onClick={() => setSelection({ type: 'form' })}>
              {t('designer.status.formProblems', { count: formProblems })}
            </button>
          </>
        ) : null}
      </p>
      {error ? <ErrorNotice error={error} /> : null}
      <DesignerProvider value={designer}>
        {showVersions ? <VersionHistory versions={versions} busy={busy !== null} onOpen={(n) => void open(n)} onRollback={(n) => void rollback(n)} /> : null}
        <DesignerDnd make={make} onEdit={edit}>
          <div className={mode === 'preview' ? 'designer-grid previewing' : 'designer-grid'}>
            {mode === 'design' ? <Palette onAdd={add} /> : null}
            {mode === 'design' ? <Canvas /> : <Preview />}
            {mode === 'design' ? <PropertyPanel /> : null}
          </div>
        </DesignerDnd>
      </DesignerProvider>
    </section>
  );
}
