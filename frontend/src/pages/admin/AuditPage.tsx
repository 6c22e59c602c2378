import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { LoadMore } from '../../components/LoadMore';
import { listAudit, listUsers, verifyAudit, type AuditEntry } from '../../core/api/adminEndpoints';
import { problemsAt } from '../../core/api/problemsAt';
import { auditQuery, type AuditFilters } from '../../core/admin/auditQuery';
import { formatDateTime } from '../../core/format/formatDateTime';
import { formatNumber } from '../../core/format/formatNumber';
import { useLoad } from '../../hooks/useLoad';
import { usePages } from '../../hooks/usePages';
import { useSession } from '../../session/SessionContext';
import { AdminError, AdminProblems } from './AdminNotices';

const PAGE_SIZE = 50;
/** ACTIONS are the actions the platform writes to the audit log. */
const ACTIONS = ['login', 'login_failed', 'logout', 'create', 'update', 'delete', 'view', 'list', 'export', 'publish', 'policy_change'] as const;
const FILTERS = ['object', 'actor', 'action', 'from', 'to'] as const;

/**
 * AuditPage checks the tenant's hash-chained audit log and says the outcome in words,
 * and lists its entries newest first, filtered by object prefix, person, action and
 * days (kept in the URL), a page at a time.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const [params, setParams] = useSearchParams();
  const filters: AuditFilters = { object: '', actor: '', action: '', from: '', to: '' };
  for (const f of FILTERS) filters[f] = params.get(f) ?? '';
  const query = auditQuery(filters);
  const key = JSON.stringify(query);
  const entries = usePages(async (cursor) => {
    const page = await listAudit(api, tenant, { ...query, limit: PAGE_SIZE, cursor });
    return { items: page.entries ?? [], next: page.next };
  }, [api, tenant, key]);
  // Names for the people in the log, when the person may list users.
  const users = useLoad(() => listUsers(api, tenant, { limit: 500 }).then((p) => p.users ?? []), [api, tenant]);

  const apply = (next: AuditFilters) => {
    const p = new URLSearchParams();
    for (const f of FILTERS) if (next[f]) p.set(f, next[f]);
    setParams(p, { replace: true });
  };

  const who = (id: string) => {
    if (id === 'system') return t('actor.system');
    const u = users.data?.find((x) => x.id === id);
    return u ? `${u.name || u.email}` : id;
  };

  return (
    <section>
      <h1>{t('admin.audit.title')}</h1>
      <AuditVerify tenant={tenant} />
      <AuditFilterForm key={params.toString()} initial={filters} users={users.data ?? null} error={entries.error} onApply={apply} />
      {entries.error ? <AdminError error={entries.error} /> : null}
      {entries.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label={t('admin.audit.entries')}>
            <thead>
              <tr>
                <th scope="col">{t('admin.audit.seq')}</th>
                <th scope="col">{t('admin.audit.time')}</th>
                <th scope="col">{t('admin.audit.actor')}</th>
                <th scope="col">{t('admin.audit.action')}</th>
                <th scope="col">{t('admin.audit.object')}</th>
                <th scope="col">{t('admin.audit.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.items.map((e) => (
                <AuditRow key={e.seq} entry={e} who={who} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {!entries.loading && !entries.error && entries.items.length === 0 ? <p>{t('admin.audit.empty')}</p> : null}
      <LoadMore pages={entries} />
    </section>
  );
}

function AuditRow({ entry, who }: { entry: AuditEntry; who: (id: string) => string }) {
  const { t, i18n } = useTranslation();
  const known = (ACTIONS as readonly string[]).includes(entry.action);
  const changed = Object.keys(entry.diff ?? {});
  const extra = { ...(entry.diff ? { diff: entry.diff } : {}), ...(entry.detail ? { detail: entry.detail } : {}) };
  return (
    <tr>
      <td className="num">{entry.seq}</td>
      <td>{formatDateTime(entry.time, i18n.language)}</td>
      <td>{who(entry.actor)}</td>
      <td>{known ? t(`admin.audit.actions.${entry.action as (typeof ACTIONS)[number]}`) : entry.action}</td>
      <td>
        <code>{entry.object}</code>
      </td>
      <td className="audit-detail">
        {changed.length > 0 ? t('admin.audit.changed', { fields: changed.join(', ') }) : null}
        {Object.keys(extra).length > 0 ? (
          <details>
            <summary>{t('admin.audit.more')}</summary>
            <pre>{JSON.stringify(extra, null, 2)}</pre>
          </details>
        ) : null}
      </td>
    </tr>
  );
}

function AuditFilterForm(props: {
  initial: AuditFilters;
  users: Array<{ id: string; name: string; email: string }> | null;
  error: unknown;
  onApply: (f: AuditFilters) => void;
}) {
  const { initial, users, error, onApply } = props;
  const { t } = useTranslation();
  const [f, setF] = useState(initial);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onApply(f);
  };
  const input = (name: 'object' | 'from' | 'to', type = 'text') => (
    <div className="field">
      <label htmlFor={`audit-${name}`}>{t(`admin.audit.filter.${name}`)}</label>
      <input id={`audit-${name}`} type={type} value={f[name]} onChange={(e) => setF({ ...f, [name]: e.target.value })}
        aria-invalid={problemsAt(error, name).length > 0 || undefined} />
      <AdminProblems problems={problemsAt(error, name)} />
    </div>
  );
  return (
    <form className="card admin-card audit-filters" onSubmit={onSubmit} aria-label={t('admin.audit.filters')}>
      <div className="grid-3">
        {input('object')}
        <div className="field">
          <label htmlFor="audit-actor">{t('admin.audit.filter.actor')}</label>
          {users ? (
            <select id="audit-actor" value={f.actor} onChange={(e) => setF({ ...f, actor: e.target.value })}>
              <option value="">{t('admin.audit.anyone')}</option>
              <option value="system">{t('actor.system')}</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name ? `${u.name} <${u.email}>` : u.email}
                </option>
              ))}
            </select>
          ) : (
            <input id="audit-actor" value={f.actor} onChange={(e) => setF({ ...f, actor: e.target.value })} />
          )}
        </div>
        <div className="field">
          <label htmlFor="audit-action">{t('admin.audit.filter.action')}</label>
          <select id="audit-action" value={f.action} onChange={(e) => setF({ ...f, action: e.target.value })}>
            <option value="">{t('admin.audit.anyAction')}</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`admin.audit.actions.${a}`)}
              </option>
            ))}
          </select>
        </div>
        {input('from', 'date')}
        {input('to', 'date')}
      </div>
      <div className="toolbar">
        <button type="submit" className="primary">
          {t('admin.audit.apply')}
        </button>
        <button type="button" onClick={() => onApply({ object: '', actor: '', action: '', from: '', to: '' })}>
          {t('admin.audit.clear')}
        </button>
      </div>
    </form>
  );
}

/** AuditVerify walks the tenant's chain on the server and says whether it holds. */
function AuditVerify({ tenant }: { tenant: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const v = useLoad(() => verifyAudit(api, tenant), [api, tenant]);
  const lang = i18n.language;
  const problems = v.data?.problems ?? [];
  const state = !v.data ? null : !v.data.ok || problems.length > 0 ? 'broken' : v.data.entries === 0 ? 'empty' : 'verified';
  return (
    <section className={`card admin-card audit-verify audit-${state ?? 'pending'}`} aria-labelledby="audit-verify-title">
      <h2 id="audit-verify-title">{t('admin.audit.verifyTitle')}</h2>
      {v.error ? <AdminError error={v.error} /> : null}
      {v.loading ? <p className="loading">{t('admin.audit.verifying')}</p> : null}
      {v.data && state ? (
        <div role="status">
          <p className="verify-state">{t(`admin.audit.state.${state}`)}</p>
          <p>
            {state === 'broken'
              ? t('admin.audit.brokenDetail', { count: problems.length, entries: formatNumber(v.data.entries, lang) })
              : state === 'empty'
                ? t('admin.audit.emptyDetail')
                : t('admin.audit.verifiedDetail', {
                    entries: formatNumber(v.data.entries, lang),
                    seq: v.data.head_seq,
                    hash: v.data.head_hash.slice(0, 12),
                  })}
          </p>
        </div>
      ) : null}
      {problems.length > 0 ? (
        <ul className="field-problems">
          {problems.map((p) => (
            <li key={`${p.seq}-${p.message}`}>{t('admin.audit.problem', { seq: p.seq, message: p.message })}</li>
          ))}
        </ul>
      ) : null}
      <button type="button" onClick={v.reload} disabled={v.loading}>
        {t('admin.audit.verifyAgain')}
      </button>
    </section>
  );
}
