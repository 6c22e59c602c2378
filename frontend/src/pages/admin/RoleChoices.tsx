import { useTranslation } from 'react-i18next';
import type { Role } from '../../core/api/adminEndpoints';
import { AdminFieldProblems } from './AdminNotices';

interface Props {
  id: string;
  /** roles are the tenant's roles; null when the person may not list them. */
  roles: Role[] | null;
  value: string[];
  onChange: (roles: string[]) => void;
  error?: unknown;
}

/**
 * RoleChoices picks a user's roles: a check box per role of the tenant, or the role
 * keys as text when the person may not list the roles. Problems the server places on
 * "/roles" or one of its entries show under the choices.
 *
 * @example
 * <RoleChoices id="new-user-roles" roles={roles} value={draft.roles} onChange={(r) => setDraft({ ...draft, roles: r })} error={error} />
 */
export function RoleChoices({ id, roles, value, onChange, error }: Props) {
  const { t } = useTranslation();
  const paths = ['/roles', ...value.map((_, i) => `/roles/${i}`)];
  if (!roles) {
    return (
      <div className="field">
        <label htmlFor={id}>{t('admin.users.roles')}</label>
        <input
          id={id}
          value={value.join(', ')}
          onChange={(e) => onChange(e.target.value.split(',').map((s) => s.trim()).filter(Boolean))}
          aria-describedby={`${id}-hint`}
        />
        <small id={`${id}-hint`} className="hint">
          {t('admin.users.rolesAsText')}
        </small>
        <AdminFieldProblems id={`${id}-problems`} error={error} path={paths} />
      </div>
    );
  }
  return (
    <fieldset className="field role-choices">
      <legend>{t('admin.users.roles')}</legend>
      {roles.map((r) => (
        <label key={r.key} className="check">
          <input
            type="checkbox"
            checked={value.includes(r.key)}
            onChange={(e) => onChange(e.target.checked ? [...value, r.key] : value.filter((k) => k !== r.key))}
          />
          {r.name}
        </label>
      ))}
      <AdminFieldProblems id={`${id}-problems`} error={error} path={paths} />
    </fieldset>
  );
}
