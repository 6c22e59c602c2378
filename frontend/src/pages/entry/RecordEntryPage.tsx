import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ApiError, type FieldProblem } from '../../core/api/apiError';
import type { ApiClient } from '../../core/api/client';
import { getFormAccess, getRecord } from '../../core/api/endpoints';
import type { FormAccess, FormRecord } from '../../core/api/types';
import { createRecordValidator, type RecordValidator } from '../../core/entry/createRecordValidator';
import type { Choice } from '../../core/entry/defaultChoice';
import { cellShown } from '../../core/entry/cellShown';
import { editableProblems } from '../../core/entry/editableProblems';
import { createRecord, updateRecord } from '../../core/entry/entryEndpoints';
import { entryForm } from '../../core/entry/entryForm';
import { findConflicts, type Conflict } from '../../core/entry/findConflicts';
import { fixedCells } from '../../core/entry/fixedCells';
import { initialValues } from '../../core/entry/initialValues';
import { isEditable } from '../../core/entry/isEditable';
import { problemPlace } from '../../core/entry/problemPlace';
import { recordData } from '../../core/entry/recordData';
import { recordPatch } from '../../core/entry/recordPatch';
import { resolveConflicts } from '../../core/entry/resolveConflicts';
import type { EntryField, EntryForm, EntryMode, EntryRow, EntryValue, EntryValues } from '../../core/entry/types';
import { formatDateTime } from '../../core/format/formatDateTime';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { ConflictPanel } from './ConflictPanel';
import { EntrySections } from './EntrySections';
import { useProblemText } from './useProblemText';
import './entry.css';

/** Loaded is what the entry page opens with. */
interface Loaded {
  access: FormAccess;
  form: EntryForm;
  record: FormRecord | undefined;
  /** validator checks in the browser; absent when the access answer carries no schema. */
  validator: RecordValidator | undefined;
}

async function loadEntry(api: ApiClient, tenant: string, formKey: string, id: string | undefined): Promise<Loaded> {
  // The access answer carries the schema, layout and sub-table columns the person may
  // know, so no right to the definition is needed.
  const [access, record] = await Promise.all([getFormAccess(api, tenant, formKey), id ? getRecord(api, tenant, formKey, id) : Promise.resolve(undefined)]);
  const form = entryForm(access);
  const validator = form.schema ? await createRecordValidator(form.schema) : undefined;
  return { access, form, record, validator };
}

/**
 * RecordEntryPage creates a record (/forms/:form/records/new) or changes one
 * (/forms/:form/records/:id/edit): the form drawn from the access answer, only
 * the fields the person may write as inputs, the values checked in the browser against
 * the form's JSON Schema before anything is sent, the server's problems placed on their
 * fields, and a version conflict resolved field by field.
 */
export function RecordEntryPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const params = useParams();
  const formKey = params.form ?? '';
  const id = params.id;
  const loaded = useLoad(() => loadEntry(api, tenant, formKey, id), [api, tenant, formKey, id]);
  const title = localized(loaded.data?.access.title, i18n.language, formKey);
  const mode: EntryMode = id ? 'edit' : 'create';
  const back = id ? `/forms/${encodeURIComponent(formKey)}/records/${encodeURIComponent(id)}` : `/forms/${encodeURIComponent(formKey)}/records`;

  const allowed = loaded.data ? (mode === 'create' ? loaded.data.access.create : loaded.data.access.update) : false;
  return (
    <section className="entry-page">
      <p className="crumbs">
        <Link to={back}>{id ? t('entry.backToRecord') : t('entry.backToRecords', { form: title })}</Link>
      </p>
      <h1>{mode === 'create' ? t('entry.newTitle', { form: title }) : t('entry.editTitle', { form: title })}</h1>
      {loaded.error ? <ErrorNotice error={loaded.error} /> : null}
      {loaded.loading && !loaded.data ? <p className="loading">{t('app.loading')}</p> : null}
      {loaded.data && !allowed ? <p className="notice">{t('errors.forbidden')}</p> : null}
      {loaded.data && allowed ? <Entry key={`${formKey}/${id ?? ''}`} mode={mode} loaded={loaded.data} tenant={tenant} back={back} /> : null}
    </section>
  );
}

function Entry({ mode, loaded, tenant, back }: { mode: EntryMode; loaded: Loaded; tenant: string; back: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const say = useProblemText();
  const { form, validator } = loaded;
  const [record, setRecord] = useState(loaded.record);
  const [base, setBase] = useState<EntryValues>(() => initialValues(form, loaded.record?.data));
  const [values, setValues] = useState<EntryValues>(base);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<{ latest: FormRecord; conflicts: Conflict[]; choices: Record<string, Choice> } | null>(null);
  const [focusTick, setFocusTick] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const lang = i18n.language;

  const byName = useMemo(() => new Map(form.fields.map((f) => [f.name, f])), [form]);
  const editable = useMemo(() => new Set(form.fields.filter((f) => isEditable(f, mode)).map((f) => f.name)), [form, mode]);
  const fieldAt = (path: string): EntryField | undefined => {
    const place = problemPlace(path);
    const f = byName.get(place.field);
    return place.column ? f?.columns?.find((c) => c.name === place.column) : f;
  };
  // Problems worded for the person, in the shape the inputs place by JSON pointer.
  const explained = useMemo(
    () =>
      problems.length === 0
        ? undefined
        : new ApiError({ status: 422, code: 'validation_failed', message: '', fields: problems.map((p) => ({ path: p.path, code: 'explained', message: say(p, fieldAt(p.path)) })) }),
    // fieldAt reads byName only.
    [problems, say, byName],
  );
  // A problem lands on an input or a read-only cell; any other (the record as a whole, a
  // field or column not shown here) is listed above the form.
  const placed = (path: string) => {
    const place = problemPlace(path);
    if (!editable.has(place.field)) return false;
    if (place.row === undefined || place.column === undefined) return true;
    const row = (values[place.field] as EntryRow[] | undefined)?.[place.row];
    const column = byName.get(place.field)?.columns?.find((c) => c.name === place.column);
    return row !== undefined && column !== undefined && cellShown(column, row);
  };
  const unplaced = problems.filter((p) => !placed(p.path));

  useEffect(() => {
    if (focusTick > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusTick]);

  const change = (name: string, v: EntryValue) => {
    setValues((vs) => ({ ...vs, [name]: v }));
    setProblems((ps) => ps.filter((p) => p.path !== `/${name}` && !p.path.startsWith(`/${name}/`)));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStatus('');
    setError(undefined);
    let body: Record<string, unknown>;
    let checked: Record<string, unknown>;
    if (mode === 'create') {
      body = recordData(form, values);
      checked = body;
    } else {
      body = recordPatch(form, base, values);
      if (Object.keys(body).length === 0) {
        setStatus(t('entry.unchanged'));
        return;
      }
      checked = { ...(record?.data ?? {}) };
      for (const [k, v] of Object.entries(body)) {
        if (v === null) delete checked[k];
        else checked[k] = v;
      }
    }
    if (validator) {
      const found = editableProblems(validator(checked), editable, fixedCells(form, values));
      if (found.length > 0) {
        setProblems(found);
        setStatus(t('entry.checkFirst'));
        setFocusTick((n) => n + 1);
        return;
      }
    }
    setBusy(true);
    try {
      const saved =
        mode === 'create'
          ? await createRecord(api, tenant, form.form, body)
          : await updateRecord(api, tenant, form.form, record?.id ?? '', record?.version ?? 0, body);
      const notice = mode === 'create' ? t('entry.created') : t('entry.saved', { version: saved.version });
      if (!loaded.access.read) {
        // Who may create but not read stays here, with an empty form for the next record.
        const fresh = initialValues(form);
        setBase(fresh);
        setValues(fresh);
        setStatus(notice);
        setBusy(false);
        return;
      }
      navigate(`/forms/${encodeURIComponent(form.form)}/records/${encodeURIComponent(saved.id)}`, { state: { notice } });
      return;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'version_conflict' && record) {
        try {
          const latest = await getRecord(api, tenant, form.form, record.id);
          setConflict({ latest, conflicts: findConflicts(form, base, values, latest.data), choices: {} });
        } catch (again) {
          setError(again);
        }
      } else if (err instanceof ApiError && err.fields.length > 0) {
        setProblems(err.fields);
        setStatus(t('entry.refused'));
        setFocusTick((n) => n + 1);
      } else {
        setError(err);
      }
    }
    setBusy(false);
  };

  const applyChoices = () => {
    if (!conflict) return;
    const next = resolveConflicts(form, conflict.conflicts, conflict.choices, base, values, conflict.latest.data);
    setBase(next.base);
    setValues(next.values);
    setRecord(conflict.latest);
    setConflict(null);
    setProblems([]);
    setStatus(t('entry.conflict.applied', { version: conflict.latest.version }));
  };

  const discard = () => {
    if (!conflict) return;
    const fresh = initialValues(form, conflict.latest.data);
    setBase(fresh);
    setValues(fresh);
    setRecord(conflict.latest);
    setConflict(null);
    setProblems([]);
    setStatus('');
  };

  return (
    <>
      {record ? <p className="meta">{t('entry.version', { version: record.version, date: formatDateTime(record.updated_at, lang) })}</p> : null}
      {!validator ? <p className="notice">{t('entry.noDefinition')}</p> : null}
      <p className="entry-status" role="status">
        {status}
      </p>
      {error ? <ErrorNotice error={error} /> : null}
      {unplaced.length > 0 ? (
        <div className="notice notice-error" role="alert">
          {t('entry.formProblems')}
          <ul className="field-problems">
            {unplaced.map((p) => {
              const f = fieldAt(p.path);
              return <li key={p.path + p.code}>{(f ? `${localized(f.label, lang, f.name)}: ` : p.path ? `${p.path}: ` : '') + say(p, f)}</li>;
            })}
          </ul>
        </div>
      ) : null}
      {conflict ? (
        <ConflictPanel
          form={form}
          version={conflict.latest.version}
          conflicts={conflict.conflicts}
          choices={conflict.choices}
          onChoose={(name, c) => setConflict({ ...conflict, choices: { ...conflict.choices, [name]: c } })}
          onApply={applyChoices}
          onDiscard={discard}
        />
      ) : null}
      <form ref={formRef} className="entry-form card" aria-label={t('entry.formLabel')} onSubmit={(e) => void submit(e)} noValidate>
        <EntrySections form={form} mode={mode} values={values} onChange={change} data={record?.data ?? {}} error={explained} />
        <p className="toolbar entry-actions">
          <button type="submit" className="primary" disabled={busy || conflict !== null}>
            {busy ? t('entry.saving') : mode === 'create' ? t('entry.create') : t('entry.save')}
          </button>
          <Link to={back}>{t('entry.cancel')}</Link>
        </p>
      </form>
    </>
  );
}
