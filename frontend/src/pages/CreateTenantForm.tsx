import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../app/ApiContext';
import { ErrorNotice } from '../components/ErrorNotice';
import { TextField } from '../components/TextField';
import { createTenant } from '../core/api/endpoints';
import type { TenantInput } from '../core/api/types';

/** CreateTenantForm registers a tenant, optionally with its first administrator. */
export function CreateTenantForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [withAdmin, setWithAdmin] = useState(false);
  const [admin, setAdmin] = useState({ email: '', name: '', password: '' });
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setCreated(null);
    const input: TenantInput = { slug: slug.trim(), name: name.trim() };
    if (withAdmin) input.admin = { ...admin, email: admin.email.trim() };
    try {
      const tn = await createTenant(api, input);
      setCreated(tn.name);
      setSlug('');
      setName('');
      setAdmin({ email: '', name: '', password: '' });
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card create-tenant" onSubmit={(e) => void onSubmit(e)} noValidate>
      <h2>{t('tenants.create.title')}</h2>
      {error ? <ErrorNotice error={error} /> : null}
      {created ? (
        <p role="status" className="notice notice-ok">
          {t('tenants.create.created', { name: created })}
        </p>
      ) : null}
      <div className="grid-2">
        <TextField id="slug" label={t('tenants.create.slug')} value={slug} onChange={setSlug}
          hint={t('tenants.create.slugHint')} error={error} path="/slug" />
        <TextField id="name" label={t('tenants.create.name')} value={name} onChange={setName} error={error} path="/name" />
      </div>
      <label className="check">
        <input type="checkbox" checked={withAdmin} onChange={(e) => setWithAdmin(e.target.checked)} />
        {t('tenants.create.withAdmin')}
      </label>
      {withAdmin ? (
        <div className="grid-3">
          <TextField id="admin-email" type="email" label={t('tenants.create.adminEmail')} value={admin.email}
            onChange={(email) => setAdmin({ ...admin, email })} error={error} path="/admin/email" />
          <TextField id="admin-name" label={t('tenants.create.adminName')} value={admin.name}
            onChange={(name) => setAdmin({ ...admin, name })} error={error} path="/admin/name" />
          <TextField id="admin-password" type="password" autoComplete="new-password" label={t('tenants.create.adminPassword')}
            value={admin.password} onChange={(password) => setAdmin({ ...admin, password })} error={error} path="/admin/password" />
        </div>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {t('tenants.create.submit')}
      </button>
    </form>
  );
}

