import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { DefinitionTable } from '../../components/definitions/DefinitionTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { FieldProblems } from '../../components/FieldProblems';
import { TextField } from '../../components/TextField';
import { ApiError } from '../../core/api/apiError';
import { listForms } from '../../core/api/endpoints';
import type { DefinitionSummary } from '../../core/api/designerEndpoints';
import { getDashboardVersion, listDashboardDefinitions, saveDashboardDraft } from '../../core/dashdesigner/dashboardDefinitions';
import { newDashboard } from '../../core/dashdesigner/newDashboard';
import { newWidget } from '../../core/dashdesigner/newWidget';
import { setLocaleText } from '../../core/dashdesigner/setLocaleText';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { useWidgetWords } from './useWidgetWords';
import './dashdesigner.css';

const KEY = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * DashboardsPage lists every dashboard of the tenant (/designer/dashboards) — published
 * or only drafted, by name, with its key and last change — leading to each one's designer, and starts a
 * new one, empty or as a copy of a published one.
 */
export function DashboardsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const defs = useLoad(() => listDashboardDefinitions(api, tenant), [api, tenant]);
  const lang = i18n.language;
  // Each dashboard by the name of its draft or latest version, in the reader's language.
  const nameOf = (d: DefinitionSummary) => localized(d.title, lang, d.key);

  return (
    <section>
      <p className="crumbs">
        <Link to="/forms">{t('designer.forms')}</Link>
      </p>
      <h1>{t('dashdesigner.listTitle')}</h1>
      <p className="intro">{t('dashdesigner.listIntro')}</p>
      <DefinitionTable
        rows={defs}
        words="dashdesigner"
        empty={t('dashdesigner.list.empty')}
        name={{ heading: t('dashdesigner.list.name'), cell: (d) => <Link to={`/designer/dashboards/${encodeURIComponent(d.key)}`}>{nameOf(d)}</Link> }}
        keyHeading={t('dashdesigner.list.key')}
      />
      <NewDashboard
        taken={(defs.data ?? []).map((d) => d.key)}
        sources={(defs.data ?? []).filter((d) => d.latest > 0).map((d) => ({ key: d.key, name: nameOf(d), version: d.latest }))}
      />
    </section>
  );
}

function NewDashboard({ taken, sources }: { taken: string[]; sources: Array<{ key: string; name: string; version: number }> }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const tenant = useSession().user?.tenant ?? '';
  const words = useWidgetWords();
  const forms = useLoad(() => listForms(api, tenant), [api, tenant]);
  const [key, setKey] = useState('');
  const [zh, setZh] = useState('');
  const [en, setEn] = useState('');
  const [from, setFrom] = useState('');
  const [form, setForm] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const lang = i18n.language;
  const chosenForm = form || forms.data?.[0]?.form || '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = (path: string, code: string, message: string) => new ApiError({ status: 422, code: 'validation_failed', message, fields: [{ path, code, message }] });
    if (!KEY.test(key)) return setError(local('/key', 'pattern', t('dashdesigner.problems.pattern')));
    if (taken.includes(key)) return setError(local('/key', 'taken', t('dashdesigner.create.taken')));
    if (!zh && !en) return setError(local('/name', 'required', t('dashdesigner.problems.required')));
    setBusy(true);
    setError(undefined);
    try {
      const source = sources.find((s) => s.key === from);
      const body = source ? (await getDashboardVersion(api, tenant, source.key, source.version)).body : undefined;
      const name = setLocaleText(setLocaleText(undefined, 'zh-CN', zh), 'en', en) ?? {};
      await saveDashboardDraft(api, tenant, key, newDashboard(key, name, body, newWidget('kpi', chosenForm, [], words)));
      navigate(`/designer/dashboards/${encodeURIComponent(key)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const unplaced = error instanceof ApiError && error.fields.length > 0 ? null : error;
  return (
    <form className="card dash-list-new" onSubmit={(e) => void submit(e)} aria-labelledby="dash-new-title" noValidate>
      <h2 id="dash-new-title">{t('dashdesigner.create.title')}</h2>
      <TextField id="dash-new-key" label={t('dashdesigner.create.key')} hint={t('dashdesigner.create.keyHint')} value={key} onChange={setKey} error={error} path="/key" />
      <div className="grid-2">
        <TextField id="dash-new-zh" label={t('dashdesigner.create.nameZh')} value={zh} onChange={setZh} error={error} path="/name" />
        <TextField id="dash-new-en" label={t('dashdesigner.create.nameEn')} value={en} onChange={setEn} />
      </div>
      <div className="field">
        <label htmlFor="dash-new-from">{t('dashdesigner.create.from')}</label>
        <select id="dash-new-from" value={from} onChange={(e) => setFrom(e.target.value)}>
          <option value="">{t('dashdesigner.create.empty')}</option>
          {sources.map((s) => (
            <option key={s.key} value={s.key}>
              {t('dashdesigner.create.copyOf', { name: s.name })}
            </option>
          ))}
        </select>
      </div>
      {from === '' ? (
        <div className="field">
          <label htmlFor="dash-new-form">{t('dashdesigner.create.form')}</label>
          <select id="dash-new-form" value={chosenForm} onChange={(e) => setForm(e.target.value)}>
            {(forms.data ?? []).map((f) => (
              <option key={f.form} value={f.form}>
                {localized(f.title, lang, f.form)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <FieldProblems id="dash-new-problems" error={error} path="" />
      {unplaced ? <ErrorNotice error={unplaced} /> : null}
      <button type="submit" className="primary" disabled={busy}>
        {t('dashdesigner.create.submit')}
      </button>
    </form>
  );
}
