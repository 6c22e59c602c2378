import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { DefinitionStatus } from '../../components/definitions/DefinitionStatus';
import { DefinitionToolbar } from '../../components/definitions/DefinitionToolbar';
import { VersionHistory } from '../../components/definitions/VersionHistory';
import { ApiError } from '../../core/api/apiError';
import type { Localized } from '../../core/api/types';
import { applyEdit, type Edit } from '../../core/designer/applyEdit';
import { clearProblems } from '../../core/designer/clearProblems';
import type { DropMakers } from '../../core/designer/dropEdit';
import type { FieldTypeId, LayoutTypeId } from '../../core/designer/fieldTypes';
import { fromDefinition } from '../../core/designer/fromDefinition';
import { insertEdit, type Selection } from '../../core/designer/insertEdit';
import { isObject } from '../../core/designer/isObject';
import { locateProblems, type ProblemMap } from '../../core/designer/locateProblems';
import { newField } from '../../core/designer/newField';
import { newSection } from '../../core/designer/newSection';
import { toDefinition } from '../../core/designer/toDefinition';
import type { DesignTree, JsonObject } from '../../core/designer/types';
import { localized } from '../../core/forms/localized';
import { loadDefinition, useDefinitionEditor, type DefinitionModel, type LoadedDefinition } from '../../hooks/useDefinitionEditor';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { Canvas } from './Canvas';
import { DesignerProvider, type Designer as DesignerState } from './DesignerContext';
import { DesignerDnd } from './DesignerDnd';
import { Palette } from './Palette';
import { Preview } from './Preview';
import { PropertyPanel } from './PropertyPanel';
import './designer.css';

/** formModel edits a form definition as a design tree. */
const formModel: DefinitionModel<DesignTree, Edit, ProblemMap> = {
  fromBody: fromDefinition,
  toBody: toDefinition,
  apply: applyEdit,
  locate: locateProblems,
  clear: clearProblems,
};

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
  const loaded = useLoad(() => loadDefinition(api, tenant, 'form', key), [api, tenant, key]);

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

function Designer({ formKey, tenant, initial }: { formKey: string; tenant: string; initial: LoadedDefinition }) {
  const { t, i18n } = useTranslation();
  const [selection, setSelection] = useState<Selection>({ type: 'form' });
  const editor = useDefinitionEditor({
    kind: 'form',
    definitionKey: formKey,
    tenant,
    initial,
    model: formModel,
    words: 'designer.status',
    confirm: 'designer.versions.rollbackConfirm',
    onLoad: () => setSelection({ type: 'form' }),
  });
  const { design: tree, problems, latest } = editor;
  const [mode, setMode] = useState<'design' | 'preview'>('design');
  const lang = i18n.language;
  // Problems of the form itself are marked on no field: the status line leads to them.
  const formProblems = Object.values(problems.form).reduce((n, l) => n + l.length, 0);
  const title = localized(isObject(tree.rest['title']) ? (tree.rest['title'] as Localized) : undefined, lang, formKey);

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

  const editTree = editor.edit;
  const edit = useCallback(
    (e: Edit) => {
      editTree(e);
      if (e.kind === 'addField' || e.kind === 'addColumn') setSelection({ type: 'field', id: e.node.id });
      if (e.kind === 'addSection') setSelection({ type: 'section', id: e.section.id });
    },
    [editTree],
  );

  const add = (kind: FieldTypeId | LayoutTypeId) => {
    const e = insertEdit(tree, kind, selection, make);
    if (e) edit(e);
  };

  const designer: DesignerState = { tree, edit, selection, select: setSelection, problems };

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
      <DefinitionToolbar
        editor={editor}
        words="designer"
        undo
        extra={
          <>
            <span className="toolbar-gap" />
            <button type="button" aria-pressed={mode === 'design'} onClick={() => setMode('design')}>
              {t('designer.toolbar.design')}
            </button>
            <button type="button" aria-pressed={mode === 'preview'} onClick={() => setMode('preview')}>
              {t('designer.toolbar.preview')}
            </button>
          </>
        }
      />
      <DefinitionStatus editor={editor} words="designer.status">
        {formProblems > 0 ? (
          <>
            {' '}
            <button type="button" className="link problem" onClick={() => setSelection({ type: 'form' })}>
              {t('designer.status.formProblems', { count: formProblems })}
            </button>
          </>
        ) : null}
      </DefinitionStatus>
      {editor.error ? <ErrorNotice error={editor.error} /> : null}
      <DesignerProvider value={designer}>
        <VersionHistory id="designer-versions" className="designer-versions card" words="designer" editor={editor} />
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
