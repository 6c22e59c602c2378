import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { getPermissions, listRoles } from '../../core/api/adminEndpoints';
import { getFormAccess, listForms } from '../../core/api/endpoints';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { AdminError } from './AdminNotices';
import { PermissionGrid } from './PermissionGrid';

/**
 * PermissionsPage is the field-permission grid of one form: the tenant's roles against
 * the form's fields, with the record-level rights and row scope of each role. The form
 * and the role shown are kept in the URL (?form=…&role=…).
 */
export function PermissionsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const [params, setParams] = useSearchParams();
  const forms = useLoad(() => listForms(api, tenant), [api, tenant]);
  const form = params.get('form') || forms.data?.[0]?.form || '';
  const onlyRole = params.get('role') ?? '';
  const roles = useLoad(() => listRoles(api, tenant), [api, tenant]);
  const access = useLoad(() => (form ? getFormAccess(api, tenant, form) : Promise.resolve(undefined)), [api, tenant, form]);
  const roleKeys = (roles.data ?? []).map((r) => r.key).join('\n');
  const perms = useLoad(async () => {
    if (!roles.data) return undefined;
    const lists = await Promise.all(roles.data.map(async (r) => (await getPermissions(api, tenant, r.key)).permissions));
    return Object.fromEntries(roles.data.map((r, i) => [r.key, lists[i] ?? []]));
    // The roles' keys, not the list's identity, decide what to read.
  }, [api, tenant, roleKeys]);

  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  const error = forms.error ?? roles.error ?? access.error ?? perms.error;
  const shownRoles = (roles.data ?? []).filter((r) => !onlyRole || r.key === onlyRole);
  return (
    <section>
      <h1>{t('admin.grid.title')}</h1>
      <p className="intro">{t('admin.grid.intro')}</p>
      <div className="toolbar admin-filters">
        <div className="inline-field">
          <label htmlFor="grid-form">{t('admin.grid.form')}</label>
          <select id="grid-form" value={form} onChange={(e) => set('form', e.target.value)}>
            {(forms.data ?? []).map((f) => (
              <option key={f.form} value={f.form}>
                {localized(f.title, i18n.language, f.form)}
              </option>
            ))}
          </select>
        </div>
        <div className="inline-field">
          <label htmlFor="grid-role">{t('admin.grid.roles')}</label>
          <select id="grid-role" value={onlyRole} onChange={(e) => set('role', e.target.value)}>
            <option value="">{t('admin.grid.allRoles')}</option>
            {(roles.data ?? []).map((r) => (
              <option key={r.key} value={r.key}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error ? <AdminError error={error} /> : null}
      {forms.data?.length === 0 ? <p>{t('admin.grid.noForms')}</p> : null}
      {!error && (!access.data || !perms.data) && form ? <p className="loading">{t('app.loading')}</p> : null}
      {access.data && perms.data && roles.data ? (
        <PermissionGrid
          key={`${form}\n${roleKeys}`}
          access={access.data}
          roles={shownRoles}
          permissions={perms.data}
          onRoleChanged={roles.reload}
        />
      ) : null}
    </section>
  );
}
