import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/ApiContext';
import { ApiError } from '../../core/api/apiError';
import {
  deleteBinding,
  listPlugins,
  putBinding,
  type PluginBinding,
  type PluginEntry,
} from '../../core/api/adminEndpoints';
import { problemsAt } from '../../core/api/problemsAt';
import { configForSubmit } from '../../core/admin/configForSubmit';
import { formatDateTime } from '../../core/format/formatDateTime';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { AdminError, AdminProblems } from './AdminNotices';
import { SchemaForm } from './SchemaForm';

/** KINDS are the plugin kinds a tenant binds, in the order the server lists bindings. */
const KINDS = ['scorer', 'fraud_detector'] as const;

/**
 * PluginsPage shows, per plugin kind, which installed plugin version the tenant is bound
 * to, and binds another version or changes its configuration through a form drawn from
 * the plugin's configuration schema; the server validates it against the running
 * plugin and its problems land on the inputs. Unbinding asks first.
 */
export function PluginsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const plugins = useLoad(() => listPlugins(api, tenant), [api, tenant]);
  return (
    <section>
      <h1>{t('admin.plugins.title')}</h1>
      <p className="intro">{t('admin.plugins.intro')}</p>
      {plugins.error ? <AdminError error={plugins.error} /> : null}
      {plugins.loading && !plugins.data ? <p className="loading">{t('app.loading')}</p> : null}
      {plugins.data
        ? KINDS.map((kind) => (
            <BindingCard
              key={kind}
              kind={kind}
              binding={plugins.data?.bindings.find((b) => b.kind === kind)}
              catalog={(plugins.data?.plugins ?? []).filter((p) => p.kinds.includes(kind))}
              onChanged={plugins.reload}
            />
          ))
        : null}
    </section>
  );
}

const ref = (p: { name?: string; plugin?: string; version: string }) => `${p.name ?? p.plugin}@${p.version}`;

function BindingCard(props: { kind: (typeof KINDS)[number]; binding: PluginBinding | undefined; catalog: PluginEntry[]; onChanged: () => void }) {
  const { kind, binding, catalog, onChanged } = props;
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const bound = binding ? ref(binding) : '';
  const [choice, setChoice] = useState(bound || (catalog[0] ? ref(catalog[0]) : ''));
  const [config, setConfig] = useState<Record<string, unknown>>(() => configOf(binding));
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const entry = catalog.find((p) => ref(p) === choice);
  const schema = entry?.config_schema;

  const choose = (next: string) => {
    setChoice(next);
    const e = catalog.find((p) => ref(p) === next);
    // A configuration belongs to its plugin: keep it across versions, start afresh for another plugin.
    setConfig(binding && e && e.name === binding.plugin ? configOf(binding) : {});
    setError(undefined);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!entry) return;
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      const sent = schema ? configForSubmit(schema, schema, config) : config;
      const b = await putBinding(api, tenant, kind, {
        plugin: entry.name,
        version: entry.version,
        config: sent,
        ...(binding ? { revision: binding.revision } : {}),
      });
      setDone(t('admin.plugins.bound', { plugin: ref(b) }));
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const unbind = async () => {
    if (!binding || !window.confirm(t('admin.plugins.unbindConfirm', { plugin: bound, kind: t(`admin.plugins.kind.${kind}`) }))) return;
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      await deleteBinding(api, tenant, kind, binding.revision);
      setDone(t('admin.plugins.unboundDone', { plugin: bound }));
      setBusy(false);
      onChanged();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const conflict = error instanceof ApiError && error.code === 'version_conflict';
  const choiceProblems = problemsAt(error, ['/plugin', '/version']);
  const titleId = `plugin-${kind}-title`;
  return (
    <form className="card admin-card" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby={titleId}>
      <h2 id={titleId}>{t(`admin.plugins.kind.${kind}`)}</h2>
      <p>
        {binding
          ? t('admin.plugins.current', {
              plugin: bound,
              revision: binding.revision,
              when: formatDateTime(binding.updated_at, i18n.language),
            })
          : t('admin.plugins.unbound')}
      </p>
      {conflict ? (
        <p role="alert" className="notice notice-error">
          {t('admin.plugins.conflict')}
        </p>
      ) : error && !(error instanceof ApiError && error.fields.length > 0) ? (
        <AdminError error={error} />
      ) : error ? (
        <p role="alert" className="notice notice-error">
          {t('admin.plugins.refused')}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="notice notice-ok">
          {done}
        </p>
      ) : null}
      {catalog.length === 0 ? (
        <p>{t('admin.plugins.noneInstalled')}</p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`plugin-${kind}-choice`}>{t('admin.plugins.version')}</label>
            <select id={`plugin-${kind}-choice`} value={choice} onChange={(e) => choose(e.target.value)}
              aria-invalid={choiceProblems.length > 0 || undefined}
              aria-describedby={choiceProblems.length > 0 ? `plugin-${kind}-choice-problems` : undefined}>
              {catalog.map((p) => (
                <option key={ref(p)} value={ref(p)}>
                  {p.name} {p.version}
                </option>
              ))}
            </select>
            {entry?.description ? <small className="hint">{entry.description}</small> : null}
            <AdminProblems id={`plugin-${kind}-choice-problems`} problems={choiceProblems} />
          </div>
          {schema ? (
            <fieldset className="schema-root">
              <legend>{t('admin.plugins.config')}</legend>
              <SchemaForm id={`plugin-${kind}`} schema={schema} value={config} onChange={setConfig} error={error} base="/config" />
            </fieldset>
          ) : (
            <p className="hint">{t('admin.plugins.noConfig')}</p>
          )}
          <div className="toolbar">
            <button type="submit" className="primary" disabled={busy || !entry}>
              {binding ? t('admin.plugins.save') : t('admin.plugins.bind')}
            </button>
            {binding ? (
              <button type="button" disabled={busy} onClick={() => void unbind()}>
                {t('admin.plugins.unbind')}
              </button>
            ) : null}
            {conflict ? (
              <button
                type="button"
                onClick={() => {
                  setError(undefined);
                  onChanged();
                }}
              >
                {t('admin.plugins.reload')}
              </button>
            ) : null}
          </div>
        </>
      )}
    </form>
  );
}

function configOf(b: PluginBinding | undefined): Record<string, unknown> {
  const c = b?.config;
  return c && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>) : {};
}
