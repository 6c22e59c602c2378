import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/ApiContext';
import { TextField } from '../../components/TextField';
import { createUser, type Role } from '../../core/api/adminEndpoints';
import { useSession } from '../../session/SessionContext';
import { AdminError, AdminFieldProblems } from './AdminNotices';
import { RoleChoices } from './RoleChoices';
import { useCreate } from './useCreate';

const empty = { email: '', name: '', password: '', roles: [] as string[] };

/** CreateUserForm adds a user to the tenant with a first password and roles. */
export function CreateUserForm({ roles, onCreated }: { roles: Role[] | null; onCreated: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const [draft, setDraft] = useState(empty);
  const { busy, error, created, taken, submit } = useCreate(
    () => createUser(api, tenant, { ...draft, email: draft.email.trim(), name: draft.name.trim() }),
    (u) => u.email,
    () => {
      setDraft(empty);
      onCreated();
    },
  );
  return (
    <form className="card admin-card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-user-title">
      <h2 id="new-user-title">{t('admin.users.createTitle')}</h2>
      {error && !taken ? <AdminError error={error} /> : null}
      {created ? (
        <p role="status" className="notice notice-ok">
          {t('admin.users.created', { email: created })}
        </p>
      ) : null}
      <div className="grid-3">
        <TextField problemsAs={AdminFieldProblems} id="new-user-email" type="email" label={t('admin.users.email')} value={draft.email}
          onChange={(email) => setDraft({ ...draft, email })} error={error} path="/email" />
        <TextField problemsAs={AdminFieldProblems} id="new-user-name" label={t('admin.users.name')} value={draft.name}
          onChange={(name) => setDraft({ ...draft, name })} error={error} path="/name" />
        <TextField problemsAs={AdminFieldProblems} id="new-user-password" type="password" autoComplete="new-password" label={t('admin.users.password')}
          hint={t('admin.users.passwordHint')} value={draft.password} onChange={(password) => setDraft({ ...draft, password })}
          error={error} path="/password" />
      </div>
      {taken ? <p role="alert" className="field-problems">{t('admin.users.emailTaken')}</p> : null}
      <RoleChoices id="new-user-roles" roles={roles} value={draft.roles} onChange={(r) => setDraft({ ...draft, roles: r })} error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('admin.users.create')}
      </button>
    </form>
  );
}
