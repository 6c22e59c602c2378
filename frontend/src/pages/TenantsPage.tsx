import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../app/ApiContext';
import { ErrorNotice } from '../components/ErrorNotice';
import { listTenants, setTenantStatus } from '../core/api/endpoints';
import type { Tenant } from '../core/api/types';
import { formatDateTime } from '../core/format/formatDateTime';
import { useLoad } from '../hooks/useLoad';
import { CreateTenantForm } from './CreateTenantForm';

/** TenantsPage is the platform administrator's list of tenants: create, suspend, activate. */
export function TenantsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenants = useLoad(() => listTenants(api), [api]);
  const [actionError, setActionError] = useState<unknown>();
  const [busy, setBusy] = useState<string | null>(null);

  const toggle = async (tenant: Tenant) => {
    const next = tenant.status === 'active' ? 'suspended' : 'active';
    if (next === 'suspended' && !window.confirm(t('tenants.suspendConfirm', { name: tenant.name }))) return;
    setBusy(tenant.slug);
    setActionError(undefined);
    try {
      await setTenantStatus(api, tenant.slug, next);
      tenants.reload();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section>
      <h1>{t('tenants.title')}</h1>
      {tenants.error ? <ErrorNotice error={tenants.error} /> : null}
      {actionError ? <ErrorNotice error={actionError} /> : null}
      {tenants.loading && !tenants.data ? <p className="loading">{t('app.loading')}</p> : null}
      {tenants.data && tenants.data.length === 0 ? <p>{t('tenants.empty')}</p> : null}
      {tenants.data && tenants.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('tenants.slug')}</th>
                <th scope="col">{t('tenants.name')}</th>
                <th scope="col">{t('tenants.status')}</th>
                <th scope="col">{t('tenants.created')}</th>
                <th scope="col">{t('tenants.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {tenants.data.map((tn) => (
                <tr key={tn.slug}>
                  <td>
                    <code>{tn.slug}</code>
                  </td>
                  <td>{tn.name}</td>
                  <td>
                    <span className={`badge badge-${tn.status}`}>{t(`tenants.statusValue.${tn.status}`)}</span>
                  </td>
                  <td>{formatDateTime(tn.created_at, i18n.language)}</td>
                  <td>
                    <button
                      type="button"
                      disabled={busy === tn.slug}
                      onClick={() => void toggle(tn)}
                      aria-label={`${tn.status === 'active' ? t('tenants.suspend') : t('tenants.activate')} ${tn.slug}`}
                    >
                      {tn.status === 'active' ? t('tenants.suspend') : t('tenants.activate')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <CreateTenantForm onCreated={tenants.reload} />
    </section>
  );
}
