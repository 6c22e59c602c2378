import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { FieldProblems } from '../../components/FieldProblems';
import { TextField } from '../../components/TextField';
import { ApiError } from '../../core/api/apiError';
import { problemsAt } from '../../core/api/problemsAt';
import { listFormDefinitions, saveFormDraft } from '../../core/api/designerEndpoints';
import { FORM_KEY, nameProblem } from '../../core/designer/nameProblem';
import { newDefinition } from '../../core/designer/newDefinition';
import { withLocale } from '../../core/designer/withLocale';
import type { Json } from '../../core/designer/types';
import { useSession } from '../../session/SessionContext';
import { LOCALES } from './PropInputs';
import './designer.css';

const KEY_PATHS = ['key', '/key'];

/**
 * NewFormPage starts a form: its key and its title in each language. Creating it saves
 * a first draft with one empty section and opens the designer on it; a key another form
 * already has is refused before anything is saved.
 */
export function NewFormPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const tenant = useSession().user?.tenant ?? '';
  const [key, setKey] = useState('');
  const [title, setTitle] = useState<Json | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [taken, setTaken] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setTaken(false);
    setBusy(true);
    try {
      const existing = await listFormDefinitions(api, tenant);
      if (existing.some((d) => d.key === key)) {
        setTaken(true);
        return;
      }
      const section = { 'zh-CN': i18n.t('designer.defaults.basics', { lng: 'zh-CN' }), en: i18n.t('designer.defaults.basics', { lng: 'en' }) };
      const text = title && typeof title === 'object' && !Array.isArray(title) ? title : {};
      await saveFormDraft(api, tenant, key, newDefinition(key, text, section));
      navigate(`/designer/forms/${encodeURIComponent(key)}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  // A key that cannot be one is said at once; the server's own problems (pointer "key") follow it.
  const keyProblem = key !== '' && nameProblem(key, [], FORM_KEY) !== null;
  const keyInvalid = keyProblem || taken || problemsAt(error, KEY_PATHS).length > 0;

  return (
    <section className="designer-new">
      <p className="crumbs">
        <Link to="/designer/forms">{t('designer.back')}</Link>
      </p>
      <h1>{t('designer.create.title')}</h1>
      <p className="intro">{t('designer.create.intro')}</p>
      <form className="card create-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="new-form-key">{t('designer.create.key')}</label>
          <input
            id="new-form-key"
            type="text"
            className="code"
            autoComplete="off"
            spellCheck={false}
            value={key}
            onChange={(e) => {
              setKey(e.target.value);
              setTaken(false);
            }}
            aria-invalid={keyInvalid || undefined}
            aria-describedby="new-form-key-hint new-form-key-problems"
          />
          <small id="new-form-key-hint" className="hint">
            {t('designer.create.keyHint')}
          </small>
          <div id="new-form-key-problems">
            {keyProblem ? <p className="field-problems">{t('designer.name.pattern')}</p> : null}
            {taken ? (
              <p className="field-problems" role="alert">
                {t('designer.create.exists')} <Link to={`/designer/forms/${encodeURIComponent(key)}`}>{t('designer.create.open')}</Link>
              </p>
            ) : null}
            <FieldProblems id="new-form-key-server-problems" error={error} path={KEY_PATHS} />
          </div>
        </div>
        {LOCALES.map((locale) => (
          <TextField
            key={locale}
            id={`new-form-title-${locale}`}
            label={t('designer.props.inLocale', { what: t('designer.props.title'), locale: t(`designer.locales.${locale}`) })}
            value={title && typeof title === 'object' && !Array.isArray(title) && typeof title[locale] === 'string' ? title[locale] : ''}
            onChange={(v) => setTitle(withLocale(title, locale, v))}
            error={error}
            path={['/title', `/title/${locale}`]}
          />
        ))}
        <FieldProblems id="new-form-problems" error={error} path="" />
        {error && !(error instanceof ApiError && error.fields.length > 0) ? <ErrorNotice error={error} /> : null}
        <button type="submit" className="primary" disabled={busy || keyProblem || key === '' || !title}>
          {busy ? t('designer.create.submitting') : t('designer.create.submit')}
        </button>
      </form>
    </section>
  );
}
