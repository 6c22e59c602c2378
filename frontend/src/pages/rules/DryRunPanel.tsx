import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ApiError } from '../../core/api/apiError';
import { dryRunRule, type DryRunAction, type DryRunResult } from '../../core/api/automationEndpoints';
import { listRecords } from '../../core/api/endpoints';
import type { FormRecord } from '../../core/api/types';
import { isObject } from '../../core/designer/isObject';
import type { Json, JsonObject } from '../../core/designer/types';
import { localized } from '../../core/forms/localized';
import type { FieldInfo } from '../../core/rules/types';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { fieldLabel } from './fieldLabel';

/**
 * DryRunPanel tries the rule being edited, as it stands (saved or not), against a stored
 * record chosen from the form's latest records (shown with the values the condition
 * reads) or named by id: which comparisons held, whether the rule would fire, and what
 * its actions would do. A rule set the server refuses has its problems placed by the
 * caller (onRefused).
 */
export function DryRunPanel({
  form,
  ruleKey,
  definition,
  condition,
  fields,
  onRefused,
}: {
  form: string;
  ruleKey: string;
  definition: () => JsonObject;
  condition: Json | undefined;
  fields: FieldInfo[];
  onRefused: (err: ApiError) => void;
}) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const lang = i18n.language;
  const records = useLoad(() => listRecords(api, tenant, form, { limit: 50 }).then((p) => p.records), [api, tenant, form]);
  const [recordId, setRecordId] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DryRunResult | null>(null);
  const [error, setError] = useState<unknown>();
  const [refused, setRefused] = useState(false);
  const read = fieldsOf(condition);
  const label = (path: string) => {
    const f = fields.find((x) => x.path === path);
    return f ? fieldLabel(f, lang) : path;
  };

  const run = async () => {
    setBusy(true);
    setError(undefined);
    setRefused(false);
    setResult(null);
    try {
      setResult(await dryRunRule(api, tenant, form, { rule: ruleKey, record_id: recordId, definition: definition() }));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_definition') {
        setRefused(true);
        onRefused(err);
      } else setError(err);
    }
    setBusy(false);
  };

  return (
    <section className="card dry-run" aria-labelledby="dry-run-title">
      <h2 id="dry-run-title">{t('automation.rules.dryRun.title')}</h2>
      <p className="hint">{t('automation.rules.dryRun.intro')}</p>
      {records.data && records.data.length === 0 ? <p className="meta">{t('automation.rules.dryRun.noRecords')}</p> : null}
      {records.data && records.data.length > 0 ? (
        <div className="field">
          <label htmlFor="dry-run-record">{t('automation.rules.dryRun.record')}</label>
          <select id="dry-run-record" value={records.data.some((r) => r.id === recordId) ? recordId : ''} onChange={(e) => setRecordId(e.target.value)}>
            <option value="">{t('automation.rules.dryRun.choose')}</option>
            {records.data.map((r) => (
              <option key={r.id} value={r.id}>
                {recordLabel(r, read, label)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="dry-run-id">{t('automation.rules.dryRun.recordId')}</label>
        <input id="dry-run-id" type="text" className="code" value={recordId} onChange={(e) => setRecordId(e.target.value.trim())} />
      </div>
      <button type="button" className="primary" disabled={busy || recordId === '' || ruleKey === ''} onClick={() => void run()}>
        {busy ? t('automation.rules.dryRun.running') : t('automation.rules.dryRun.run')}
      </button>
      {refused ? <p className="notice notice-error">{t('automation.rules.dryRun.refused')}</p> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {result ? <Result result={result} label={label} /> : null}
    </section>
  );
}

function Result({ result, label }: { result: DryRunResult; label: (path: string) => string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <div className="dry-run-result" role="status">
      <p className={result.outcome === 'true' ? 'notice notice-ok' : 'notice'}>
        {!result.condition
          ? t('automation.rules.dryRun.always')
          : result.outcome === 'true'
            ? t('automation.rules.dryRun.held')
            : result.outcome === 'false'
              ? t('automation.rules.dryRun.notHeld')
              : t('automation.rules.dryRun.failed', { error: result.error ?? '' })}
      </p>
      {result.leaves && result.leaves.length > 0 ? (
        <>
          <h3>{t('automation.rules.dryRun.leaves')}</h3>
          <ul className="dry-run-leaves">
            {result.leaves.map((l) => (
              <li key={l.path} className={`outcome-${l.outcome}`}>
                {label(l.field)} {t(`automation.rules.condition.ops.${l.op as 'eq'}`)}: <strong>{t(`automation.rules.dryRun.outcome.${l.outcome}`)}</strong> <code>{l.cel}</code>
                {l.error ? <span className="problem"> {l.error}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <strong>{result.fires ? t('automation.rules.dryRun.fires') : t('automation.rules.dryRun.wouldNot')}</strong>
        {!result.enabled ? ` ${t('automation.rules.dryRun.disabled')}` : ''}
      </p>
      <p className="hint">{t('automation.rules.dryRun.trigger')}</p>
      {result.actions && result.actions.length > 0 ? (
        <>
          <h3>{t('automation.rules.dryRun.actions')}</h3>
          <ul className="dry-run-actions">
            {result.actions.map((a, i) => (
              <li key={i}>{describe(a, lang, label, t)}</li>
            ))}
          </ul>
        </>
      ) : null}
      {result.action_error ? <p className="problem">{t('automation.rules.dryRun.actionError', { error: result.action_error })}</p> : null}
    </div>
  );
}

/** describe says in words what one resolved action would do. */
function describe(a: DryRunAction, lang: string, label: (path: string) => string, t: TFunction): string {
  const text = (v: Record<string, string> | undefined) => (v ? localized(v, lang, '') : '');
  const value = a.value === undefined ? '' : typeof a.value === 'string' ? a.value : JSON.stringify(a.value);
  switch (a.type) {
    case 'set_field':
      return t('automation.rules.dryRun.action.set_field', { field: label(a.field ?? ''), value });
    case 'reject':
      return t('automation.rules.dryRun.action.reject', { reason: text(a.reason) });
    case 'flag':
      return t('automation.rules.dryRun.action.flag', { flag: a.flag ?? '' });
    case 'create_task':
      return t('automation.rules.dryRun.action.create_task', { title: text(a.title), who: a.role ?? a.user ?? '' });
    case 'start_flow':
      return t('automation.rules.dryRun.action.start_flow', { flow: a.flow ?? '' });
    case 'call_plugin':
      return t('automation.rules.dryRun.action.call_plugin', { kind: a.kind ?? '' });
    case 'notify':
      return t('automation.rules.dryRun.action.notify', { to: a.to ?? '', channel: a.channel ?? '', template: a.template ?? '' });
    case 'add_to_list':
      return t('automation.rules.dryRun.action.add_to_list', { value, list: a.list ?? '' });
  }
  return a.type;
}

/** fieldsOf lists the fields a visual condition compares (none for an expression). */
function fieldsOf(condition: Json | undefined): string[] {
  const out: string[] = [];
  const walk = (node: Json | undefined) => {
    if (!isObject(node)) return;
    if (typeof node['field'] === 'string') out.push(node['field']);
    for (const k of ['all', 'any']) if (Array.isArray(node[k])) (node[k] as Json[]).forEach(walk);
  };
  walk(condition);
  return [...new Set(out)];
}

/** recordLabel names a record in the choice: its id and the values the condition reads. */
function recordLabel(r: FormRecord, read: string[], label: (path: string) => string): string {
  const values = read.slice(0, 3).map((path) => {
    let v: unknown = r.data;
    for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    return `${label(path)}: ${v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v)}`;
  });
  return [r.id, ...values].join(' · ');
}
