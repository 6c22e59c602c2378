import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/ApiContext';
import { ApiError, type FieldProblem } from '../../core/api/apiError';
import { getPermissions, putPermissions, setRowScopes, type Permission, type Role } from '../../core/api/adminEndpoints';
import { problemsAt } from '../../core/api/problemsAt';
import type { FieldAccess, FormAccess } from '../../core/api/types';
import { applyGridEdits, type GridChange } from '../../core/admin/applyGridEdits';
import { decide } from '../../core/admin/decide';
import { CHOSEN_LEVELS, fieldLevel, fieldObject, LEVEL_DECISIONS, type FieldLevel } from '../../core/admin/fieldLevel';
import { cellKey, FORM_ACTIONS, type FormAction, type GridCell } from '../../core/admin/gridCell';
import { gridProblems } from '../../core/admin/gridProblems';
import { withDecisions } from '../../core/admin/withDecisions';
import { localized } from '../../core/forms/localized';
import { useSession } from '../../session/SessionContext';
import { AdminError, AdminProblems } from './AdminNotices';

interface Props {
  access: FormAccess;
  roles: Role[];
  /** permissions are each role's rules as read, by role key. */
  permissions: Record<string, Permission[]>;
  /** onRoleChanged asks for the roles again after a row scope was saved. */
  onRoleChanged: () => void;
}

/** Problems are the server's problems of one role, by cell key ("" for the role, "scope" for its row scope). */
type Problems = Record<string, FieldProblem[]>;

const SCOPE = 'scope';

/** BLOCKED is the problem of a column cell that a deny on its table (or a wildcard) keeps from being set. */
const BLOCKED: FieldProblem = { path: '', code: 'blocked_by_deny', message: '' };

/**
 * PermissionGrid shows, for one form, what each role may do: per field hidden, masked,
 * read or edit, and per sub-table column too (indented under its table, whose rules
 * cover it unless the column's own say otherwise); the record-level rights; the row
 * scope (a CEL filter the server checks). Every level shown is the effective one, the
 * unsaved choices included: a table set to "edit" shows its columns as editable. Saving
 * sends, per changed role, its rules with only the changed cells' rules replaced (after
 * checking nobody changed them meanwhile) and its row scopes; the server's problems
 * land on the cell or input they name.
 */
export function PermissionGrid({ access, roles, permissions, onRoleChanged }: Props) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const form = access.form;
  const [perms, setPerms] = useState(permissions);
  const [edits, setEdits] = useState<Record<string, Record<string, GridCell>>>({});
  const [scopes, setScopes] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Record<string, Problems>>({});
  const [roleErrors, setRoleErrors] = useState<Record<string, unknown>>({});
  const [busy, setBusy] = useState(false);
  const [savedRoles, setSavedRoles] = useState<string[] | null>(null);

  // Each role's rules with its unsaved cells applied: what the grid shows.
  const pending = useMemo(() => {
    const out: Record<string, GridChange> = {};
    for (const r of roles) out[r.key] = applyGridEdits(perms[r.key] ?? [], form, Object.values(edits[r.key] ?? {}));
    return out;
  }, [roles, perms, edits, form]);

  /** baseOf is a role's rules with every unsaved cell applied but key's: what that cell starts from. */
  const baseOf = (role: string, key: string): Permission[] => {
    const mine = edits[role] ?? {};
    if (!(key in mine)) return pending[role]?.permissions ?? perms[role] ?? [];
    return applyGridEdits(perms[role] ?? [], form, Object.values(mine).filter((c) => cellKey(c) !== key)).permissions;
  };

  const changedRoles = roles.filter((r) => Object.keys(edits[r.key] ?? {}).length > 0 || r.key in scopes);
  const changes = changedRoles.reduce((n, r) => n + Object.keys(edits[r.key] ?? {}).length + (r.key in scopes ? 1 : 0), 0);
  const formTitle = localized(access.title, i18n.language, form);

  const setCell = (role: string, cell: GridCell, original: boolean) => {
    setSavedRoles(null);
    setProblems((all) => ({ ...all, [role]: { ...all[role], [cellKey(cell)]: [] } }));
    setEdits((all) => {
      const mine = { ...all[role] };
      if (original) delete mine[cellKey(cell)];
      else mine[cellKey(cell)] = cell;
      return { ...all, [role]: mine };
    });
  };

  const setScope = (role: Role, value: string) => {
    setSavedRoles(null);
    setScopes((all) => {
      const next = { ...all };
      if (value === (role.row_scopes?.[form] ?? '')) delete next[role.key];
      else next[role.key] = value;
      return next;
    });
  };

  const save = async () => {
    setBusy(true);
    setSavedRoles(null);
    const saved: string[] = [];
    const nextProblems = { ...problems };
    const nextErrors = { ...roleErrors };
    for (const role of changedRoles) {
      delete nextProblems[role.key];
      delete nextErrors[role.key];
      const ok = await saveRole(role, nextProblems, nextErrors);
      if (ok) saved.push(role.key);
    }
    setProblems(nextProblems);
    setRoleErrors(nextErrors);
    setSavedRoles(saved);
    setBusy(false);
  };

  /** saveRole saves one role's cells, then its row scope; it answers whether all of it was saved. */
  const saveRole = async (role: Role, outProblems: Record<string, Problems>, outErrors: Record<string, unknown>) => {
    const cells = Object.values(edits[role.key] ?? {});
    let ok = true;
    if (cells.length > 0) {
      const before = perms[role.key] ?? [];
      const change = applyGridEdits(before, form, cells);
      if (change.impossible.length > 0) {
        // Saving would quietly drop these cells: say so on them and save nothing of the role.
        outProblems[role.key] = Object.fromEntries(change.impossible.map((k) => [k, [BLOCKED]]));
        return false;
      }
      try {
        // PUT replaces every rule of the role: refuse to overwrite what someone else changed
        // since the grid was read, and (by the revision) since this re-read.
        const now = await getPermissions(api, tenant, role.key);
        if (JSON.stringify(now.permissions) !== JSON.stringify(before)) {
          setPerms((p) => ({ ...p, [role.key]: now.permissions }));
          outErrors[role.key] = new Error('changed_elsewhere');
          return false;
        }
        const stored = await putPermissions(api, tenant, role.key, change.permissions, now.revision);
        setPerms((p) => ({ ...p, [role.key]: stored }));
        setEdits((all) => ({ ...all, [role.key]: {} }));
      } catch (err) {
        ok = false;
        if (err instanceof ApiError && err.code === 'stale_permissions') {
          // Changed between the re-read and the PUT: show the new rules under the edits.
          const now = await getPermissions(api, tenant, role.key).catch(() => undefined);
          if (now) setPerms((p) => ({ ...p, [role.key]: now.permissions }));
          outErrors[role.key] = new Error('changed_elsewhere');
          return false;
        }
        outProblems[role.key] = gridProblems(err, change.origins);
        if (!(err instanceof ApiError) || err.fields.length === 0) outErrors[role.key] = err;
      }
    }
    if (role.key in scopes) {
      const expr = (scopes[role.key] ?? '').trim();
      const all = { ...role.row_scopes };
      if (expr) all[form] = expr;
      else delete all[form];
      try {
        await setRowScopes(api, tenant, role.key, all);
        setScopes((s) => {
          const next = { ...s };
          delete next[role.key];
          return next;
        });
        onRoleChanged();
      } catch (err) {
        ok = false;
        const at = problemsAt(err, [`/row_scopes/${form}`, '/row_scopes']);
        if (at.length > 0) outProblems[role.key] = { ...outProblems[role.key], [SCOPE]: at };
        else outErrors[role.key] = err;
      }
    }
    return ok;
  };

  const discard = () => {
    setEdits({});
    setScopes({});
    setProblems({});
    setRoleErrors({});
    setSavedRoles(null);
  };

  return (
    <div className="permission-grid">
      {roles.map((r) =>
        roleErrors[r.key] || problems[r.key]?.[''] ? (
          <div key={r.key} className="role-error">
            <strong>{r.name}</strong>
            {roleErrors[r.key] ? <AdminError error={roleErrors[r.key]} /> : null}
            <AdminProblems problems={problems[r.key]?.[''] ?? []} />
          </div>
        ) : null,
      )}
      {savedRoles && savedRoles.length > 0 ? (
        <p role="status" className="notice notice-ok">
          {t('admin.grid.saved', { roles: roles.filter((r) => savedRoles.includes(r.key)).map((r) => r.name).join(', ') })}
        </p>
      ) : null}
      <div className="toolbar">
        <button type="button" className="primary" disabled={busy || changes === 0} onClick={() => void save()}>
          {busy ? t('admin.saving') : t('admin.grid.save', { count: changes })}
        </button>
        <button type="button" disabled={busy || changes === 0} onClick={discard}>
          {t('admin.grid.discard')}
        </button>
      </div>
      <div className="table-wrap grid-wrap">
        <table aria-label={t('admin.grid.tableLabel', { form: formTitle })}>
          <thead>
            <tr>
              <th scope="col">{t('admin.grid.field')}</th>
              {roles.map((r) => (
                <th scope="col" key={r.key}>
                  {r.name}
                  {r.built_in ? <small className="hint">{t('admin.grid.builtIn')}</small> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr className="group">
              <th scope="colgroup" colSpan={roles.length + 1}>
                {t('admin.grid.records')}
              </th>
            </tr>
            {FORM_ACTIONS.map((action) => (
              <tr key={action}>
                <th scope="row">{t(`admin.grid.action.${action}`)}</th>
                {roles.map((r) => (
                  <ActionCell key={r.key} role={r} action={action} form={form} perms={perms[r.key] ?? []}
                    edit={edits[r.key]?.[`action:${action}`]} problems={problems[r.key]?.[`action:${action}`] ?? []}
                    onChange={(cell, original) => setCell(r.key, cell, original)} />
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row">
                {t('admin.grid.rowScope')}
                <small className="hint">{t('admin.grid.rowScopeHint')}</small>
              </th>
              {roles.map((r) => {
                const id = `scope-${r.key}`;
                const scopeProblems = problems[r.key]?.[SCOPE] ?? [];
                return (
                  <td key={r.key} className={r.key in scopes ? 'changed' : undefined}>
                    <input
                      id={id}
                      className="scope-input"
                      value={scopes[r.key] ?? r.row_scopes?.[form] ?? ''}
                      disabled={r.built_in}
                      placeholder={t('admin.grid.allRecords')}
                      onChange={(e) => setScope(r, e.target.value)}
                      aria-label={t('admin.grid.scopeLabel', { role: r.name })}
                      aria-invalid={scopeProblems.length > 0 || undefined}
                      aria-describedby={scopeProblems.length > 0 ? `${id}-problems` : undefined}
                    />
                    <AdminProblems id={`${id}-problems`} problems={scopeProblems} />
                  </td>
                );
              })}
            </tr>
            <tr className="group">
              <th scope="colgroup" colSpan={roles.length + 1}>
                {t('admin.grid.fields')}
              </th>
            </tr>
            {access.fields.flatMap((f) => [
              <FieldRow key={f.name} field={f} roles={roles} form={form} edits={edits} problems={problems} pending={pending} baseOf={baseOf} setCell={setCell} />,
              ...(f.columns ?? []).map((c) => (
                <FieldRow key={`${f.name}.${c.name}`} field={c} table={f} roles={roles} form={form} edits={edits} problems={problems} pending={pending} baseOf={baseOf} setCell={setCell} />
              )),
            ])}
          </tbody>
        </table>
      </div>
    </div>
  );
}

interface CellProps {
  role: Role;
  form: string;
  perms: Permission[];
  edit: GridCell | undefined;
  problems: FieldProblem[];
  onChange: (cell: GridCell, original: boolean) => void;
}

interface FieldRowProps {
  /** field is a field of the form, or a column of table. */
  field: FieldAccess;
  table?: FieldAccess;
  roles: Role[];
  form: string;
  edits: Record<string, Record<string, GridCell>>;
  problems: Record<string, Problems>;
  pending: Record<string, GridChange>;
  baseOf: (role: string, key: string) => Permission[];
  setCell: (role: string, cell: GridCell, original: boolean) => void;
}

/** FieldRow is one field's (or sub-table column's) row: its name, then a level per role. */
function FieldRow({ field, table, roles, form, edits, problems, pending, baseOf, setCell }: FieldRowProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const name = table ? `${table.name}.${field.name}` : field.name;
  const key = `field:${name}`;
  const label = localized(field.label, lang, field.name);
  const cellLabel = table
    ? (role: Role) => t('admin.grid.columnLabel', { column: label, table: localized(table.label, lang, table.name), role: role.name })
    : (role: Role) => t('admin.grid.cellLabel', { field: label, role: role.name });
  return (
    <tr className={table ? 'column-row' : undefined}>
      <th scope="row">
        {label}
        <small className="hint">
          {name}
          {field.columns ? ` · ${t('admin.grid.table')}` : ''}
          {field.computed ? ` · ${t('admin.grid.computed')}` : ''}
          {field.sensitive ? ` · ${t('admin.grid.sensitive')}` : ''}
        </small>
      </th>
      {roles.map((r) => (
        <FieldCell key={r.key} role={r} form={form} field={name} computed={field.computed ?? false} label={cellLabel(r)}
          perms={baseOf(r.key, key)} edit={edits[r.key]?.[key]} blocked={pending[r.key]?.impossible.includes(key) ?? false}
          problems={problems[r.key]?.[key] ?? []} onChange={(cell, original) => setCell(r.key, cell, original)} />
      ))}
    </tr>
  );
}

interface FieldCellProps extends CellProps {
  /** field is the field's name, "table.column" for a sub-table's column. */
  field: string;
  computed: boolean;
  label: string;
  /** blocked: the level chosen cannot be had, a deny on the table or a wildcard wins. */
  blocked: boolean;
}

/**
 * FieldCell is one role's level of one field. perms are the role's rules with every
 * other unsaved cell applied, so a column shows what its table's new level gives it.
 */
function FieldCell({ role, form, field, computed, label, perms, edit, blocked, problems, onChange }: FieldCellProps) {
  const { t } = useTranslation();
  const original = useMemo(() => fieldLevel(perms, form, field, computed), [perms, form, field, computed]);
  const level = edit?.kind === 'field' ? edit.level : original;
  const offered = useMemo(() => {
    const levels = CHOSEN_LEVELS.filter((l) => !computed || l !== 'edit');
    if (!levels.includes(original)) levels.push(original);
    return levels.map((l) => {
      const wants = { ...LEVEL_DECISIONS[l] };
      if (computed) delete wants.update;
      return { level: l, possible: l === original || withDecisions(perms, fieldObject(form, field), wants) !== null };
    });
  }, [perms, form, field, computed, original]);
  const shown = blocked && !problems.some((p) => p.code === BLOCKED.code) ? [...problems, BLOCKED] : problems;
  const id = `cell-${role.key}-${field.replace(/\./g, '-')}`;
  return (
    <td className={edit ? 'changed' : undefined}>
      <select
        id={id}
        className={`level level-${level}`}
        value={level}
        disabled={role.built_in}
        onChange={(e) => {
          const l = e.target.value as FieldLevel;
          onChange({ kind: 'field', field, level: l, computed }, l === original);
        }}
        aria-label={label}
        aria-invalid={shown.length > 0 || undefined}
        aria-describedby={shown.length > 0 ? `${id}-problems` : undefined}
      >
        {offered.map((o) => (
          <option key={o.level} value={o.level} disabled={!o.possible}>
            {t(`admin.grid.level.${o.level}`)}
          </option>
        ))}
      </select>
      <AdminProblems id={`${id}-problems`} problems={shown} />
    </td>
  );
}

function ActionCell({ role, form, action, perms, edit, problems, onChange }: CellProps & { action: FormAction }) {
  const { t } = useTranslation();
  const original = decide(perms, `form:${form}`, action) === 'allow';
  const allowed = edit?.kind === 'action' ? edit.allowed : original;
  const possible = allowed || withDecisions(perms, `form:${form}`, { [action]: true }) !== null;
  const id = `cell-${role.key}-${action}`;
  return (
    <td className={edit ? 'changed' : undefined}>
      <input
        id={id}
        type="checkbox"
        checked={allowed}
        disabled={role.built_in || !possible}
        onChange={(e) => onChange({ kind: 'action', action, allowed: e.target.checked }, e.target.checked === original)}
        aria-label={t('admin.grid.actionLabel', { action: t(`admin.grid.action.${action}`), role: role.name })}
        aria-invalid={problems.length > 0 || undefined}
        aria-describedby={problems.length > 0 ? `${id}-problems` : undefined}
      />
      <AdminProblems id={`${id}-problems`} problems={problems} />
    </td>
  );
}
