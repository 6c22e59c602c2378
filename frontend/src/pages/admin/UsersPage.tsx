import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/ApiContext';
import { LoadMore } from '../../components/LoadMore';
import { listRoles, listUsers, updateUser, type AdminUser } from '../../core/api/adminEndpoints';
import { useLoad } from '../../hooks/useLoad';
import { usePages } from '../../hooks/usePages';
import { useSession } from '../../session/SessionContext';
import { AdminError } from './AdminNotices';
import { CreateUserForm } from './CreateUserForm';
import { UserEditor } from './UserEditor';

const PAGE_SIZE = 50;

/**
 * UsersPage lists the tenant's users with their roles and status, disables and enables
 * them after confirmation, edits one (name, email, roles, password) and creates users.
 */
export function UsersPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { user: me } = useSession();
  const tenant = me?.tenant ?? '';
  const users = usePages(async (cursor) => {
    const page = await listUsers(api, tenant, { limit: PAGE_SIZE, cursor });
    return { items: page.users ?? [], next: page.next };
  }, [api, tenant]);
  const roles = useLoad(() => listRoles(api, tenant), [api, tenant]);
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const [actionError, setActionError] = useState<unknown>();
  const [busy, setBusy] = useState<string | null>(null);
  const [changed, setChanged] = useState<Record<string, AdminUser>>({});

  const roleName = (key: string) => roles.data?.find((r) => r.key === key)?.name ?? key;
  const shown = users.items.map((u) => changed[u.id] ?? u);

  const onSaved = (u: AdminUser) => setChanged((c) => ({ ...c, [u.id]: u }));

  const toggle = async (u: AdminUser) => {
    if (!u.disabled && !window.confirm(t('admin.users.disableConfirm', { name: u.name || u.email }))) return;
    setBusy(u.id);
    setActionError(undefined);
    try {
      onSaved(await updateUser(api, tenant, u.id, { disabled: !u.disabled }));
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section>
      <h1>{t('admin.users.title')}</h1>
      {users.error ? <AdminError error={users.error} /> : null}
      {actionError ? <AdminError error={actionError} /> : null}
      {shown.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.users.name')}</th>
                <th scope="col">{t('admin.users.email')}</th>
                <th scope="col">{t('admin.users.roles')}</th>
                <th scope="col">{t('admin.users.status')}</th>
                <th scope="col">{t('admin.users.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.name || '—'}</th>
                  <td>{u.email}</td>
                  <td>{u.roles.map(roleName).join(', ') || '—'}</td>
                  <td>
                    <span className={`badge badge-${u.disabled ? 'suspended' : 'active'}`}>
                      {u.disabled ? t('admin.users.disabled') : t('admin.users.active')}
                    </span>
                  </td>
                  <td className="row-actions">
                    <button type="button" onClick={() => setEditing(u)} aria-label={t('admin.users.editUser', { name: u.email })}>
                      {t('admin.users.edit')}
                    </button>
                    <button
                      type="button"
                      disabled={busy === u.id || u.id === me?.id}
                      onClick={() => void toggle(u)}
                      aria-label={`${u.disabled ? t('admin.users.enable') : t('admin.users.disable')} ${u.email}`}
                    >
                      {u.disabled ? t('admin.users.enable') : t('admin.users.disable')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore pages={users} />
      {editing ? (
        <UserEditor
          key={editing.id}
          user={changed[editing.id] ?? editing}
          roles={roles.error ? null : (roles.data ?? [])}
          onSaved={onSaved}
          onClose={() => setEditing(null)}
        />
      ) : null}
      <CreateUserForm roles={roles.error ? null : (roles.data ?? [])} onCreated={users.reload} />
    </section>
  );
}
