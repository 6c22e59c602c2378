import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { DefinitionTable } from '../../components/definitions/DefinitionTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { listDefinitions, saveDraft } from '../../core/api/automationEndpoints';
import { listForms } from '../../core/api/endpoints';
import type { JsonObject } from '../../core/designer/types';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { LocalizedInput, SelectInput, TextInput } from './Inputs';

/**
 * FlowsPage lists the tenant's flows (published or only drafted) with their form, latest
 * version and draft state, each leading to the flow designer, and starts a new flow.
 */
export function FlowsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const lang = i18n.language;
  // The list names each flow and its form: no body is read.
  const rows = useLoad(() => listDefinitions(api, tenant, 'flow'), [api, tenant]);
  const forms = useLoad(() => listForms(api, tenant).catch(() => []), [api, tenant]);
  const formTitle = (key: string | undefined) => {
    const f = forms.data?.find((x) => x.form === key);
    return f ? localized(f.title, lang, f.form) : (key ?? '');
  };

  return (
    <section>
      <p className="crumbs">
        <Link to="/designer/forms">{t('automation.flows.designs')}</Link>
      </p>
      <h1>{t('automation.flows.list')}</h1>
      <p className="intro">{t('automation.flows.listIntro')}</p>
      <DefinitionTable
        rows={rows}
        words="designer"
        empty={t('automation.flows.empty')}
        name={{
          heading: t('automation.flows.columns.name'),
          cell: (d) => (
            <Link to={`/designer/flows/${encodeURIComponent(d.key)}`} aria-label={t('automation.flows.open', { flow: localized(d.title, lang, d.key) })}>
              {localized(d.title, lang, d.key)}
            </Link>
          ),
        }}
        keyHeading={t('automation.flows.columns.key')}
        columns={[{ heading: t('automation.flows.columns.form'), cell: (d) => formTitle(d.form) }]}
        showPublished
      />
      <NewFlow taken={(rows.data ?? []).map((d) => d.key)} forms={(forms.data ?? []).map((f) => ({ value: f.form, label: localized(f.title, lang, f.form) }))} />
    </section>
  );
}

/** NewFlow creates a flow: a key, its form and a name; a start joined to an end to begin with. */
function NewFlow({ taken, forms }: { taken: string[]; forms: Array<{ value: string; label: string }> }) {
  const { t } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const tenant = useSession().user?.tenant ?? '';
  const [key, setKey] = useState('');
  const [form, setForm] = useState<string | undefined>();
  const [name, setName] = useState<JsonObject | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const bad = key !== '' && !/^[a-z][a-z0-9_]{0,62}$/.test(key);
  const exists = taken.includes(key);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (bad || exists || !key || !form) return;
    setBusy(true);
    setError(undefined);
    try {
      const body: JsonObject = {
        key,
        form,
        name: name ?? { en: key },
        nodes: [
          { id: 'start', type: 'start', name: { 'zh-CN': t('automation.flows.create.start', { lng: 'zh-CN' }), en: t('automation.flows.create.start', { lng: 'en' }) } },
          { id: 'done', type: 'end', name: { 'zh-CN': t('automation.flows.create.end', { lng: 'zh-CN' }), en: t('automation.flows.create.end', { lng: 'en' }) } },
        ],
        edges: [{ from: 'start', to: 'done' }],
      };
      await saveDraft(api, tenant, 'flow', key, body);
      navigate(`/designer/flows/${encodeURIComponent(key)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form className="card create-form new-flow" onSubmit={(e) => void submit(e)} aria-labelledby="new-flow-title">
      <h2 id="new-flow-title">{t('automation.flows.create.title')}</h2>
      <TextInput
        id="new-flow-key"
        label={t('automation.flows.create.key')}
        value={key}
        onChange={(v) => setKey(v ?? '')}
        hint={t('automation.flows.create.keyHint')}
        problems={bad ? [{ path: '/key', code: 'pattern', message: t('designer.name.pattern') }] : exists ? [{ path: '/key', code: 'exists', message: t('automation.flows.create.exists') }] : undefined}
        code
      />
      <SelectInput id="new-flow-form" label={t('automation.flows.create.form')} value={form} choices={forms} empty={t('automation.flows.panel.choose')} onChange={setForm} />
      <LocalizedInput id="new-flow-name" label={t('automation.flows.create.name')} value={name} onChange={(v) => setName(v as JsonObject | undefined)} />
      {error ? <ErrorNotice error={error} /> : null}
      <button type="submit" className="primary" disabled={busy || !key || !form || bad || exists}>
        {busy ? t('automation.flows.create.submitting') : t('automation.flows.create.submit')}
      </button>
    </form>
  );
}
