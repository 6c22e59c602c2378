import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { TextField } from '../../components/TextField';
import { createRole, listRoles } from '../../core/api/adminEndpoints';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { AdminError, AdminFieldProblems } from './AdminNotices';
import { useCreate } from './useCreate';

/**
 * RolesPage lists the tenant's roles (the built-in administrator marked, the forms a
 * role is row-scoped on), leads to each role's permissions, and creates roles.
 */
export function RolesPage() {
  const { t } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const roles = useLoad(() => listRoles(api, tenant), [api, tenant]);

  return (
    <section>
      <h1>{t('admin.roles.title')}</h1>
      <p className="intro">{t('admin.roles.intro')}</p>
      {roles.error ? <AdminError error={roles.error} /> : null}
      {roles.loading && !roles.data ? <p className="loading">{t('app.loading')}</p> : null}
      {roles.data ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.roles.name')}</th>
                <th scope="col">{t('admin.roles.key')}</th>
                <th scope="col">{t('admin.roles.rowScopes')}</th>
                <th scope="col">{t('admin.roles.permissions')}</th>
              </tr>
            </thead>
            <tbody>
              {roles.data.map((r) => (
                <tr key={r.key}>
                  <th scope="row">
                    {r.name}
                    {r.built_in ? <span className="badge badge-builtin">{t('admin.roles.builtIn')}</span> : null}
                  </th>
                  <td>
                    <code>{r.key}</code>
                  </td>
                  <td>
                    {Object.keys(r.row_scopes ?? {}).length > 0
                      ? Object.entries(r.row_scopes ?? {}).map(([form, expr]) => (
                          <div key={form}>
                            <code>{form}</code>: <code>{expr}</code>
                          </div>
                        ))
                      : t('admin.roles.allRecords')}
                  </td>
                  <td>
                    <Link to={`/admin/permissions?role=${encodeURIComponent(r.key)}`}>{t('admin.roles.openGrid', { name: r.name })}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <CreateRoleForm onCreated={roles.reload} />
    </section>
  );
}

function CreateRoleForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const { busy, error, created, taken, submit } = useCreate(
    () => createRole(api, tenant, { key: key.trim(), name: name.trim() }),
    (r) => r.name,
    () => {
      setKey('');
      setName('');
      onCreated();
    },
  );
  return (
    <form className="card admin-card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-role-title">
      <h2 id="new-role-title">{t('admin.roles.createTitle')}</h2>
      {error && !taken ? <AdminError error={error} /> : null}
      {created ? (
        <p role="status" className="notice notice-ok">
          {t('admin.roles.created', { name: created })}
        </p>
      ) : null}
      <div className="grid-2">
        <TextField problemsAs={AdminFieldProblems} id="new-role-key" label={t('admin.roles.key')} hint={t('admin.roles.keyHint')} value={key} onChange={setKey}
          error={error} path="/key" />
        <TextField problemsAs={AdminFieldProblems} id="new-role-name" label={t('admin.roles.name')} value={name} onChange={setName} error={error} path="/name" />
      </div>
      {taken ? <p role="alert" className="field-problems">{t('admin.roles.keyTaken')}</p> : null}
      <button type="submit" className="primary" disabled={busy}>
        {t('admin.roles.create')}
      </button>
    </form>
  );
}
