import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/ApiContext';
import { TextField } from '../../components/TextField';
import { ApiError } from '../../core/api/apiError';
import { updateUser, type AdminUser, type Role } from '../../core/api/adminEndpoints';
import { userUpdate, type UserDraft } from '../../core/admin/userUpdate';
import { useSession } from '../../session/SessionContext';
import { AdminError, AdminFieldProblems } from './AdminNotices';
import { RoleChoices } from './RoleChoices';

const draftOf = (u: AdminUser): UserDraft => ({ email: u.email, name: u.name, roles: [...u.roles], disabled: u.disabled, password: '' });

/**
 * UserEditor changes one user: email, name, roles, disabled, or a new password. Only
 * what changed is sent; the server's problems land under their inputs.
 */
export function UserEditor(props: { user: AdminUser; roles: Role[] | null; onSaved: (u: AdminUser) => void; onClose: () => void }) {
  const { user, roles, onSaved, onClose } = props;
  const { t } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const [draft, setDraft] = useState<UserDraft>(() => draftOf(user));
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<'saved' | 'unchanged' | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  // The editor opens below a long list: take the person to it.
  useEffect(() => formRef.current?.querySelector('input')?.focus(), []);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setSaved(null);
    const up = userUpdate(user, draft);
    if (Object.keys(up).length === 0) {
      setSaved('unchanged');
      return;
    }
    setBusy(true);
    try {
      const u = await updateUser(api, tenant, user.id, up);
      onSaved(u);
      setDraft(draftOf(u));
      setSaved('saved');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const taken = error instanceof ApiError && error.code === 'already_exists';
  return (
    <form ref={formRef} className="card admin-card" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="edit-user-title">
      <h2 id="edit-user-title">{t('admin.users.editTitle', { name: user.email })}</h2>
      {error && !taken ? <AdminError error={error} /> : null}
      {saved ? (
        <p role="status" className={saved === 'saved' ? 'notice notice-ok' : 'notice'}>
          {saved === 'saved' ? t('admin.users.saved') : t('admin.unchanged')}
        </p>
      ) : null}
      <div className="grid-2">
        <TextField problemsAs={AdminFieldProblems} id="edit-user-email" type="email" label={t('admin.users.email')} value={draft.email}
          onChange={(email) => setDraft({ ...draft, email })} error={error} path="/email" />
        {taken ? <p role="alert" className="field-problems">{t('admin.users.emailTaken')}</p> : null}
        <TextField problemsAs={AdminFieldProblems} id="edit-user-name" label={t('admin.users.name')} value={draft.name}
          onChange={(name) => setDraft({ ...draft, name })} error={error} path="/name" />
      </div>
      <RoleChoices id="edit-user-roles" roles={roles} value={draft.roles} onChange={(r) => setDraft({ ...draft, roles: r })} error={error} />
      <label className="check">
        <input type="checkbox" checked={draft.disabled} onChange={(e) => setDraft({ ...draft, disabled: e.target.checked })} />
        {t('admin.users.disabledLabel')}
      </label>
      <TextField problemsAs={AdminFieldProblems} id="edit-user-password" type="password" autoComplete="new-password" label={t('admin.users.newPassword')}
        hint={t('admin.users.newPasswordHint')} value={draft.password} onChange={(password) => setDraft({ ...draft, password })}
        error={error} path="/password" />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy}>
          {t('admin.save')}
        </button>
        <button type="button" onClick={onClose}>
          {t('admin.close')}
        </button>
      </div>
    </form>
  );
}
