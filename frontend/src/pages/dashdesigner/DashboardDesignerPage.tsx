import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ApiError, type FieldProblem } from '../../core/api/apiError';
import type { ApiClient } from '../../core/api/client';
import { listForms } from '../../core/api/endpoints';
import {
  getDashboardDraft,
  getDashboardVersion,
  listDashboardVersions,
  publishDashboard,
  rollbackDashboard,
  saveDashboardDraft,
} from '../../core/dashdesigner/dashboardDefinitions';
import { problemKey } from '../../core/dashdesigner/problemKey';
import type { JsonObject } from '../../core/dashdesigner/types';
import { withMember } from '../../core/dashdesigner/withMember';
import { asObject } from '../../core/dashdesigner/asObject';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { DashEditorProvider, type DashEditor } from './DashEditorContext';
import { DashProblems } from './DashProblems';
import { DashVersions } from './DashVersions';
import { FieldLists } from './FieldLists';
import { FiltersEditor } from './FiltersEditor';
import { LocalizedInputs } from './LocalizedInputs';
import { WidgetList } from './WidgetList';
import './dashdesigner.css';

interface Loaded {
  body: JsonObject;
  problems: FieldProblem[];
}

/** loadDashboard reads the draft of a dashboard, or when it has none its latest published version. */
async function loadDashboard(api: ApiClient, tenant: string, key: string): Promise<Loaded> {
  try {
    const draft = await getDashboardDraft(api, tenant, key);
    return { body: draft.body, problems: draft.problems ?? [] };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    const versions = await listDashboardVersions(api, tenant, key);
    const last = versions.at(-1);
    if (!last) throw err;
    const v = await getDashboardVersion(api, tenant, key, last.version);
    return { body: v.body ?? {}, problems: [] };
  }
}

/**
 * DashboardDesignerPage edits one dashboard (/designer/dashboards/:key): its names,
 * filters and widgets (added, removed, reordered; per widget its form, type, group keys,
 * measures or stages, filters, sort), saving the draft (the server checks it and its
 * problems land on the inputs they are about), previews, publishing, and the versions
 * with rollback.
 */
export function DashboardDesignerPage() {
  const { t } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const key = useParams().key ?? '';
  const loaded = useLoad(() => loadDashboard(api, tenant, key), [api, tenant, key]);
  if (loaded.error) {
    const missing = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <section>
        <p className="crumbs">
          <Link to="/designer/dashboards">{t('dashdesigner.back')}</Link>
        </p>
        {missing ? <p className="notice">{t('dashdesigner.notFound')}</p> : <ErrorNotice error={loaded.error} />}
      </section>
    );
  }
  if (!loaded.data) return <p className="loading">{t('app.loading')}</p>;
  return <Designer key={key} dashKey={key} tenant={tenant} initial={loaded.data} />;
}

type Busy = null | 'save' | 'publish' | 'versions';

function Designer({ dashKey, tenant, initial }: { dashKey: string; tenant: string; initial: Loaded }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [body, setBody] = useState<JsonObject>(initial.body);
  const [saved, setSaved] = useState<JsonObject>(initial.body);
  const [problems, setProblems] = useState<FieldProblem[]>(initial.problems);
  const [status, setStatus] = useState(() => (initial.problems.length > 0 ? t('dashdesigner.status.loadedProblems', { count: initial.problems.length }) : ''));
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState('');
  const [showVersions, setShowVersions] = useState(false);
  const versions = useLoad(() => listDashboardVersions(api, tenant, dashKey), [api, tenant, dashKey]);
  const forms = useLoad(() => listForms(api, tenant), [api, tenant]);
  const latest = versions.data?.at(-1)?.version;
  const published = useLoad(
    async () => (latest ? { version: latest, body: (await getDashboardVersion(api, tenant, dashKey, latest)).body ?? {} } : undefined),
    [api, tenant, dashKey, latest],
  );
  const dirty = body !== saved;
  const lang = i18n.language;
  const name = localized(asObject(body['name']) as Record<string, string>, lang, dashKey);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const byKey = useMemo(() => {
    const m = new Map<string, FieldProblem[]>();
    for (const p of problems) {
      const k = problemKey(p.path);
      m.set(k, [...(m.get(k) ?? []), p]);
    }
    return m;
  }, [problems]);

  const edit = useCallback((fn: (b: JsonObject) => JsonObject, pointer?: string) => {
    setBody(fn);
    // An edited input's problems are the author's to check again on the next save.
    if (pointer) setProblems((ps) => ps.filter((p) => problemKey(p.path) !== pointer));
  }, []);

  const editor: DashEditor = {
    body,
    edit,
    problemsAt: (pointer) => byKey.get(pointer) ?? [],
    problemsUnder: (pointer) => problems.filter((p) => p.path === pointer || p.path.startsWith(`${pointer}/`)).length,
    forms: forms.data ?? [],
  };

  const save = async (): Promise<{ valid: boolean; count: number } | null> => {
    const snapshot = body;
    setError(undefined);
    try {
      const draft = await saveDashboardDraft(api, tenant, dashKey, snapshot);
      const found = draft.problems ?? [];
      setSaved(snapshot);
      setProblems(found);
      setStatus(found.length > 0 ? t('dashdesigner.status.problems', { count: found.length }) : t('dashdesigner.status.ready'));
      return { valid: draft.valid && found.length === 0, count: found.length };
    } catch (err) {
      placeError(err);
      return null;
    }
  };

  const placeError = (err: unknown) => {
    if (err instanceof ApiError && err.fields.length > 0 && (err.code === 'invalid_definition' || err.code === 'validation_failed')) {
      setProblems(err.fields);
      setStatus(t('dashdesigner.status.refused', { count: err.fields.length }));
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
    const result = await save();
    if (result && !result.valid) setStatus(t('dashdesigner.status.refused', { count: result.count }));
    if (result?.valid) {
      try {
        const v = await publishDashboard(api, tenant, dashKey, note.trim());
        setStatus(t('dashdesigner.status.published', { version: v.version }));
        setNote('');
        versions.reload();
      } catch (err) {
        if (err instanceof ApiError && err.code === 'unchanged') setStatus(t('dashdesigner.status.unchanged'));
        else placeError(err);
      }
    }
    setBusy(null);
  };

  const open = async (version: number) => {
    setBusy('versions');
    setError(undefined);
    try {
      const v = await getDashboardVersion(api, tenant, dashKey, version);
      setBody(v.body ?? {});
      setProblems([]);
      setStatus(t('dashdesigner.status.opened', { version }));
    } catch (err) {
      setError(err);
    }
    setBusy(null);
  };

  const rollback = async (to: number) => {
    if (!window.confirm(t('dashdesigner.versions.rollbackConfirm', { version: to }))) return;
    setBusy('versions');
    setError(undefined);
    try {
      const v = await rollbackDashboard(api, tenant, dashKey, to);
      const full = (await getDashboardVersion(api, tenant, dashKey, v.version)).body ?? {};
      await saveDashboardDraft(api, tenant, dashKey, full);
      setBody(full);
      setSaved(full);
      setProblems([]);
      setStatus(t('dashdesigner.status.rolledBack', { version: v.version, to }));
      versions.reload();
    } catch (err) {
      setError(err);
    }
    setBusy(null);
  };

  const top = problems.filter((p) => problemKey(p.path) === '');
  return (
    <section className="dash-designer">
      <p className="crumbs">
        <Link to="/designer/dashboards">{t('dashdesigner.back')}</Link>
        {latest ? (
          <>
            {' · '}
            <Link to={`/dashboards/${encodeURIComponent(dashKey)}`}>{t('dashdesigner.open')}</Link>
          </>
        ) : null}
      </p>
      <h1>{t('dashdesigner.title', { name })}</h1>
      <div className="designer-toolbar" role="group" aria-label={t('dashdesigner.toolbar.label')}>
        <button type="button" aria-pressed={showVersions} onClick={() => setShowVersions(!showVersions)}>
          {t('dashdesigner.toolbar.versions')}
        </button>
        <label className="inline note">
          <span>{t('dashdesigner.toolbar.note')}</span>
          <input type="text" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </label>
        <button type="button" onClick={() => void onSave()} disabled={busy !== null}>
          {busy === 'save' ? t('dashdesigner.toolbar.saving') : t('dashdesigner.toolbar.save')}
        </button>
        <button type="button" className="primary" onClick={() => void onPublish()} disabled={busy !== null}>
          {busy === 'publish' ? t('dashdesigner.toolbar.publishing') : t('dashdesigner.toolbar.publish')}
        </button>
      </div>
      <p className="designer-status" role="status">
        {dirty ? t('dashdesigner.status.unsaved') : status}{' '}
        <span className="meta">{latest ? t('dashdesigner.status.current', { version: latest }) : versions.data ? t('dashdesigner.status.notPublished') : ''}</span>
      </p>
      {error ? <ErrorNotice error={error} /> : null}
      {forms.error ? <ErrorNotice error={forms.error} /> : null}
      <DashEditorProvider value={editor}>
        {showVersions ? <DashVersions versions={versions} busy={busy !== null} onOpen={(n) => void open(n)} onRollback={(n) => void rollback(n)} /> : null}
        <DashProblems id="dash-problems" problems={top} />
        <FieldLists forms={forms.data ?? []} />
        <section className="card dash-props" aria-labelledby="dash-props-title">
          <h2 id="dash-props-title">{t('dashdesigner.props.dashboard')}</h2>
          <p className="meta">
            {t('dashdesigner.props.key')}: <code>{dashKey}</code>
          </p>
          <LocalizedInputs id="dash-name" labels={[t('dashdesigner.props.nameZh'), t('dashdesigner.props.nameEn')]} pointer="/name" value={body['name']} onChange={(v) => edit((b) => withMember(b, 'name', v), '/name')} />
          <LocalizedInputs
            id="dash-description"
            labels={[t('dashdesigner.props.descriptionZh'), t('dashdesigner.props.descriptionEn')]}
            pointer="/description"
            value={body['description']}
            onChange={(v) => edit((b) => withMember(b, 'description', v), '/description')}
          />
          <FiltersEditor />
        </section>
        <WidgetList dashboard={dashKey} published={published.data} />
      </DashEditorProvider>
    </section>
  );
}
