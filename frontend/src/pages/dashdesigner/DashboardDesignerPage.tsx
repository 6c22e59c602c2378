import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { DefinitionStatus } from '../../components/definitions/DefinitionStatus';
import { DefinitionToolbar } from '../../components/definitions/DefinitionToolbar';
import { VersionHistory } from '../../components/definitions/VersionHistory';
import { ApiError, type FieldProblem } from '../../core/api/apiError';
import { listForms } from '../../core/api/endpoints';
import { getDashboardVersion } from '../../core/dashdesigner/dashboardDefinitions';
import { problemKey } from '../../core/dashdesigner/problemKey';
import type { JsonObject } from '../../core/dashdesigner/types';
import { withMember } from '../../core/dashdesigner/withMember';
import { asObject } from '../../core/dashdesigner/asObject';
import { localized } from '../../core/forms/localized';
import { loadDefinition, useDefinitionEditor, type DefinitionModel, type LoadedDefinition } from '../../hooks/useDefinitionEditor';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { DashEditorProvider, type DashEditor } from './DashEditorContext';
import { DashProblems } from './DashProblems';
import { FieldLists } from './FieldLists';
import { FiltersEditor } from './FiltersEditor';
import { LocalizedInputs } from './LocalizedInputs';
import { WidgetList } from './WidgetList';
import './dashdesigner.css';

/** DashEdit is a pure edit of the body; pointer names the input edited, whose problems it clears. */
interface DashEdit {
  fn: (body: JsonObject) => JsonObject;
  pointer?: string | undefined;
}

/** dashModel edits a dashboard's body as it is; problems stay as the server sent them. */
const dashModel: DefinitionModel<JsonObject, DashEdit, FieldProblem[]> = {
  fromBody: (body) => body,
  toBody: (body) => body,
  apply: (body, e) => e.fn(body),
  locate: (problems) => problems,
  // An edited input's problems are the author's to check again on the next save.
  clear: (ps, e) => (e.pointer ? ps.filter((p) => problemKey(p.path) !== e.pointer) : ps),
};

/** REFUSED are the refusals whose problems land on the inputs (the dashboard routes answer validation_failed too). */
const REFUSED = ['invalid_definition', 'validation_failed'] as const;

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
  const loaded = useLoad(() => loadDefinition(api, tenant, 'dashboard', key), [api, tenant, key]);
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

function Designer({ dashKey, tenant, initial }: { dashKey: string; tenant: string; initial: LoadedDefinition }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const editor = useDefinitionEditor({
    kind: 'dashboard',
    definitionKey: dashKey,
    tenant,
    initial,
    model: dashModel,
    words: 'dashdesigner.status',
    confirm: 'dashdesigner.versions.rollbackConfirm',
    refusedCodes: REFUSED,
  });
  const { design: body, problems, latest } = editor;
  const forms = useLoad(() => listForms(api, tenant), [api, tenant]);
  const published = useLoad(
    async () => (latest ? { version: latest, body: (await getDashboardVersion(api, tenant, dashKey, latest)).body ?? {} } : undefined),
    [api, tenant, dashKey, latest],
  );
  const lang = i18n.language;
  const name = localized(asObject(body['name']) as Record<string, string>, lang, dashKey);

  const byKey = useMemo(() => {
    const m = new Map<string, FieldProblem[]>();
    for (const p of problems) {
      const k = problemKey(p.path);
      m.set(k, [...(m.get(k) ?? []), p]);
    }
    return m;
  }, [problems]);

  const editBody = editor.edit;
  const edit = useCallback((fn: (b: JsonObject) => JsonObject, pointer?: string) => editBody({ fn, pointer }), [editBody]);

  const dash: DashEditor = {
    body,
    edit,
    problemsAt: (pointer) => byKey.get(pointer) ?? [],
    problemsUnder: (pointer) => problems.filter((p) => p.path === pointer || p.path.startsWith(`${pointer}/`)).length,
    forms: forms.data ?? [],
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
      <DefinitionToolbar editor={editor} words="dashdesigner" gap={false} />
      <DefinitionStatus editor={editor} words="dashdesigner.status" />
      {editor.error ? <ErrorNotice error={editor.error} /> : null}
      {forms.error ? <ErrorNotice error={forms.error} /> : null}
      <DashEditorProvider value={dash}>
        <VersionHistory id="dash-versions" className="card dash-versions" words="dashdesigner" editor={editor} />
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
