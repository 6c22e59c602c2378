import type { AdminUser, UserUpdate } from '../api/adminEndpoints';

/** UserDraft is the user editor's state: the user's fields, and a new password or "". */
export interface UserDraft {
  email: string;
  name: string;
  roles: string[];
  disabled: boolean;
  password: string;
}

/**
 * userUpdate is the PATCH body that turns user into draft: only what changed, so the
 * audit log records exactly that (roles compared as a set; an empty password keeps it).
 *
 * @example
 * userUpdate(user, { ...draftOf(user), disabled: true }) // { disabled: true }
 */
export function userUpdate(user: AdminUser, draft: UserDraft): UserUpdate {
  const up: UserUpdate = {};
  const email = draft.email.trim();
  const name = draft.name.trim();
  if (email !== user.email) up.email = email;
  if (name !== user.name) up.name = name;
  const roles = [...new Set(draft.roles)].sort();
  if (roles.join('\n') !== [...user.roles].sort().join('\n')) up.roles = roles;
  if (draft.disabled !== user.disabled) up.disabled = draft.disabled;
  if (draft.password !== '') up.password = draft.password;
  return up;
}
