import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useApi } from '../../app/ApiContext';
import { ApiError, type FieldProblem } from '../../core/api/apiError';
import { startImport, type ImportJob } from '../../core/api/adminEndpoints';
import { getFormAccess, listForms } from '../../core/api/endpoints';
import { problemsAt } from '../../core/api/problemsAt';
import type { FieldAccess } from '../../core/api/types';
import { fileHeader, type FileHeader } from '../../core/admin/fileHeader';
import { guessMapping } from '../../core/admin/guessMapping';
import { importSpec } from '../../core/admin/importSpec';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { AdminError, AdminProblems } from './AdminNotices';
import { ImportProgress } from './ImportProgress';

const escape = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * ImportPage is the import wizard: choose a form and a CSV or .xlsx file, map its
 * columns to the form's fields (proposed from the headers, read in the browser), start
 * the import, follow its progress, then read the rejected rows with their reasons.
 */
export function ImportPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const forms = useLoad(() => listForms(api, tenant).then((fs) => fs.filter((f) => f.create)), [api, tenant]);
  const [form, setForm] = useState('');
  const formKey = form || forms.data?.[0]?.form || '';
  const access = useLoad(() => (formKey ? getFormAccess(api, tenant, formKey) : Promise.resolve(undefined)), [api, tenant, formKey]);
  const [file, setFile] = useState<File | null>(null);
  const [headerRow, setHeaderRow] = useState('1');
  const [sheet, setSheet] = useState('');
  const [header, setHeader] = useState<FileHeader | null>(null);
  const [headerError, setHeaderError] = useState<unknown>();
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [key, setKey] = useState('');
  const [decide, setDecide] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<ImportJob | null>(null);

  const writable = useMemo(() => (access.data?.fields ?? []).filter((f) => f.write && !f.computed), [access.data]);
  const row = Number(headerRow);

  // Read the chosen file's header row again whenever the file, sheet, header row or form changes.
  useEffect(() => {
    if (!file || !Number.isInteger(row) || row < 1) return;
    let live = true;
    setHeaderError(undefined);
    fileHeader(file, { sheet, headerRow: row }).then(
      (h) => {
        if (!live) return;
        setHeader(h);
        setMapping(guessMapping(h.headers ?? [], writable));
      },
      (err: unknown) => {
        if (!live) return;
        setHeader(null);
        setHeaderError(err);
      },
    );
    return () => {
      live = false;
    };
  }, [file, sheet, row, writable]);

  const reset = () => {
    setJob(null);
    setFile(null);
    setHeader(null);
    setHeaderError(undefined);
    setMapping({});
    setKey('');
    setError(undefined);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      const columns = header?.headers ? mapping : null;
      const spec = importSpec({ mapping: columns, sheet, headerRow: Number.isInteger(row) && row > 0 ? row : 1, key, decide });
      setJob(await startImport(api, tenant, formKey, file, spec));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (job) {
    return (
      <section>
        <h1>{t('admin.imports.title')}</h1>
        <ImportProgress tenant={tenant} initial={job} fields={access.data?.fields ?? []} />
        <button type="button" onClick={reset}>
          {t('admin.imports.another')}
        </button>
      </section>
    );
  }

  const labelOf = (name: string) => localized(writable.find((f) => f.name === name)?.label, i18n.language, name);
  const required = error instanceof ApiError ? error.fields.filter((p) => p.path === '/columns' || p.path === '/fields') : [];
  const mapped = Object.values(mapping).filter(Boolean);
  return (
    <section>
      <h1>{t('admin.imports.title')}</h1>
      <p className="intro">{t('admin.imports.intro')}</p>
      {forms.error ? <AdminError error={forms.error} /> : null}
      {forms.data?.length === 0 ? <p>{t('admin.imports.noForms')}</p> : null}
      <form className="card admin-card" onSubmit={(e) => void onSubmit(e)} noValidate aria-label={t('admin.imports.title')}>
        {error && !(error instanceof ApiError && error.code === 'invalid_mapping') ? <AdminError error={error} /> : null}
        {error instanceof ApiError && error.code === 'invalid_mapping' ? (
          <p role="alert" className="notice notice-error">
            {t('admin.errors.invalid_mapping')}
          </p>
        ) : null}
        <div className="grid-2">
          <div className="field">
            <label htmlFor="import-form">{t('admin.imports.form')}</label>
            <select id="import-form" value={formKey} onChange={(e) => setForm(e.target.value)}>
              {(forms.data ?? []).map((f) => (
                <option key={f.form} value={f.form}>
                  {localized(f.title, i18n.language, f.form)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="import-file">{t('admin.imports.file')}</label>
            <input
              id="import-file"
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setHeader(null);
                setSheet('');
                setError(undefined);
              }}
              aria-describedby="import-file-hint"
            />
            <small id="import-file-hint" className="hint">
              {t('admin.imports.fileHint')}
            </small>
          </div>
          <NumberField id="import-header-row" label={t('admin.imports.headerRow')} value={headerRow} onChange={setHeaderRow}
            problems={problemsAt(error, '/header_row')} />
          {header?.format === 'xlsx' ? (
            <div className="field">
              <label htmlFor="import-sheet">{t('admin.imports.sheet')}</label>
              <select id="import-sheet" value={sheet || header.sheet} onChange={(e) => setSheet(e.target.value)}>
                {header.sheets.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
              <AdminProblems problems={problemsAt(error, '/sheet')} />
            </div>
          ) : null}
        </div>
        {headerError ? (
          <>
            <AdminError error={headerError} />
            <p className="hint">{t('admin.imports.autoMapping')}</p>
          </>
        ) : null}
        {file && header && !header.headers ? <p className="notice">{t('admin.imports.noHeader', { row: headerRow })}</p> : null}
        {required.length > 0 ? (
          <ul className="field-problems" aria-label={t('admin.imports.missing')}>
            {required.map((p) => (
              <li key={p.message}>{requiredText(p, labelOf, t)}</li>
            ))}
          </ul>
        ) : null}
        {header?.headers ? (
          <div className="table-wrap">
            <table aria-label={t('admin.imports.mapping')}>
              <thead>
                <tr>
                  <th scope="col">{t('admin.imports.column')}</th>
                  <th scope="col">{t('admin.imports.field')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.keys(mapping).map((h) => (
                  <MappingRow key={h} header={h} field={mapping[h] ?? ''} fields={writable} lang={i18n.language}
                    problems={problemsAt(error, `/columns/${escape(h)}`)}
                    onChange={(field) => setMapping({ ...mapping, [h]: field })} />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <div className="grid-2">
          <div className="field">
            <label htmlFor="import-key">{t('admin.imports.key')}</label>
            <select id="import-key" value={key} onChange={(e) => setKey(e.target.value)} aria-describedby="import-key-hint">
              <option value="">{t('admin.imports.noKey')}</option>
              {(header?.headers ? mapped : writable.map((f) => f.name)).map((f) => (
                <option key={f} value={f}>
                  {labelOf(f)}
                </option>
              ))}
            </select>
            <small id="import-key-hint" className="hint">
              {t('admin.imports.keyHint')}
            </small>
            <AdminProblems problems={problemsAt(error, '/key')} />
          </div>
          <label className="check">
            <input type="checkbox" checked={decide} onChange={(e) => setDecide(e.target.checked)} />
            {t('admin.imports.decide')}
          </label>
        </div>
        <button type="submit" className="primary" disabled={busy || !file || !formKey}>
          {busy ? t('admin.imports.uploading') : t('admin.imports.start')}
        </button>
      </form>
    </section>
  );
}

function requiredText(p: FieldProblem, labelOf: (f: string) => string, t: TFunction): string {
  const field = p.params?.['field'];
  if (p.code === 'required' && typeof field === 'string') return t('admin.imports.requires', { field: labelOf(field) });
  if (p.code === 'required') return t('admin.imports.requiresHidden');
  return t('fieldErrors.other', { message: p.message });
}

function MappingRow(props: { header: string; field: string; fields: FieldAccess[]; lang: string; problems: FieldProblem[]; onChange: (f: string) => void }) {
  const { header, field, fields, lang, problems, onChange } = props;
  const { t } = useTranslation();
  const id = `map-${header}`;
  return (
    <tr>
      <th scope="row">{header}</th>
      <td>
        <select
          id={id}
          value={field}
          onChange={(e) => onChange(e.target.value)}
          aria-label={t('admin.imports.fieldFor', { column: header })}
          aria-invalid={problems.length > 0 || undefined}
          aria-describedby={problems.length > 0 ? `${id}-problems` : undefined}
        >
          <option value="">{t('admin.imports.skip')}</option>
          {fields.map((f) => (
            <option key={f.name} value={f.name}>
              {localized(f.label, lang, f.name)}
            </option>
          ))}
        </select>
        <AdminProblems id={`${id}-problems`} problems={problems} />
      </td>
    </tr>
  );
}

function NumberField(props: { id: string; label: string; value: string; onChange: (v: string) => void; problems: FieldProblem[] }) {
  const { id, label, value, onChange, problems } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} inputMode="numeric" value={value} onChange={(e) => onChange(e.target.value)}
        aria-invalid={problems.length > 0 || undefined} aria-describedby={problems.length > 0 ? `${id}-problems` : undefined} />
      <AdminProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}
