import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { DefinitionStatus } from '../../components/definitions/DefinitionStatus';
import { DefinitionToolbar } from '../../components/definitions/DefinitionToolbar';
import { VersionHistory } from '../../components/definitions/VersionHistory';
import { getDraft, getVersion, listDefinitions } from '../../core/api/automationEndpoints';
import type { ApiClient } from '../../core/api/client';
import { getDefinitionVersion, getFormAccess } from '../../core/api/endpoints';
import type { Localized } from '../../core/api/types';
import { isObject } from '../../core/designer/isObject';
import { newId } from '../../core/designer/newId';
import type { JsonObject } from '../../core/designer/types';
import { localized } from '../../core/forms/localized';
import { nameWithKey } from '../../core/forms/nameWithKey';
import { applyRuleEdit, type RuleEdit } from '../../core/rules/applyRuleEdit';
import { fromRuleSet } from '../../core/rules/fromRuleSet';
import { locateRuleProblems, type RuleProblems } from '../../core/rules/locateRuleProblems';
import { newRule } from '../../core/rules/newRule';
import { ruleFields } from '../../core/rules/ruleFields';
import { toRuleSet } from '../../core/rules/toRuleSet';
import type { FieldInfo, RuleSetDesign } from '../../core/rules/types';
import { loadDefinition, useDefinitionEditor, type DefinitionModel, type LoadedDefinition } from '../../hooks/useDefinitionEditor';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import '../designer/designer.css';
import '../flowdesigner/flowdesigner.css';
import { Problems } from '../flowdesigner/Inputs';
import { DryRunPanel } from './DryRunPanel';
import { RuleEditor } from './RuleEditor';
import { RuleProvider, type RuleState } from './rulesContext';
import './rules.css';

/** loadFields reads what conditions can compare: from the form's published definition, else from the fields the person may see. */
async function loadFields(api: ApiClient, tenant: string, form: string): Promise<{ fields: FieldInfo[]; title: Localized | undefined }> {
  const access = await getFormAccess(api, tenant, form);
  try {
    const def = await getDefinitionVersion<JsonObject>(api, tenant, 'form', form, access.version);
    return { fields: ruleFields(def.body), title: access.title };
  } catch {
    return { fields: access.fields.map((f) => ({ path: f.name, kind: 'any' as const, ...(f.label ? { label: f.label } : {}) })), title: access.title };
  }
}

/** loadFlows reads the tenant's flows with their form and step ids (a tenant has a handful). */
async function loadFlows(api: ApiClient, tenant: string): Promise<Array<{ key: string; form: string; nodes: string[]; name?: Localized }>> {
  const defs = await listDefinitions(api, tenant, 'flow');
  return Promise.all(
    defs.map(async (d) => {
      const body = await (d.latest > 0 ? getVersion(api, tenant, 'flow', d.key, d.latest) : getDraft(api, tenant, 'flow', d.key)).then((x) => x.body ?? {}).catch(() => ({}) as JsonObject);
      const nodes = Array.isArray(body['nodes']) ? body['nodes'].flatMap((n) => (isObject(n) && typeof n['id'] === 'string' ? [n['id']] : [])) : [];
      return { key: d.key, form: typeof body['form'] === 'string' ? body['form'] : '', nodes, ...(isObject(body['name']) ? { name: body['name'] as Localized } : {}) };
    }),
  );
}

/** ruleModel edits a rule set as its rules in order. */
const ruleModel: DefinitionModel<RuleSetDesign, RuleEdit, RuleProblems> = {
  fromBody: fromRuleSet,
  toBody: toRuleSet,
  apply: applyRuleEdit,
  locate: locateRuleProblems,
  clear: (p, e) => {
    if (e.kind === 'removeRule') return { ...p, rules: Object.fromEntries(Object.entries(p.rules).filter(([k]) => k !== e.handle)) };
    if (e.kind !== 'setRule') return p;
    const member = e.path.join('/');
    // A condition tree's pointers move as it changes: its problems go together.
    const clears = (k: string) => k === member || k.startsWith(`${member}/`) || (member.startsWith('condition') && k.startsWith('condition')) || k === '';
    const own = p.rules[e.handle];
    return own ? { ...p, rules: { ...p.rules, [e.handle]: Object.fromEntries(Object.entries(own).filter(([k]) => !clears(k))) } } : p;
  },
};

/**
 * RulesPage is the rule editor of one form's rule set (/designer/rules/:form): the rules
 * in order, the one selected with its trigger, condition (visual or CEL) and actions, a
 * dry run of it against a stored record, and saving, publishing and the version history
 * as the designers have them.
 */
export function RulesPage() {
  const { t } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const form = useParams().form ?? '';
  const loaded = useLoad(() => loadDefinition(api, tenant, 'rule', form, () => ({ form, rules: [] })), [api, tenant, form]);
  const fields = useLoad(() => loadFields(api, tenant, form), [api, tenant, form]);
  const error = loaded.error ?? fields.error;
  if (error) {
    return (
      <section>
        <p className="crumbs">
          <Link to="/designer/rules">{t('automation.rules.back')}</Link>
        </p>
        <ErrorNotice error={error} />
      </section>
    );
  }
  if (!loaded.data || !fields.data) return <p className="loading">{t('app.loading')}</p>;
  return <Editor key={form} form={form} tenant={tenant} initial={loaded.data} fields={fields.data.fields} formTitle={fields.data.title} />;
}

function Editor({ form, tenant, initial, fields, formTitle }: { form: string; tenant: string; initial: LoadedDefinition; fields: FieldInfo[]; formTitle: Localized | undefined }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const lang = i18n.language;
  const editor = useDefinitionEditor({
    kind: 'rule',
    definitionKey: form,
    tenant,
    initial,
    model: ruleModel,
    words: 'automation.rules.status',
    confirm: 'designer.versions.rollbackConfirm',
    onLoad: (next) => setSelected(next.rules[0]?.handle ?? null),
  });
  const { design, problems, edit } = editor;
  const [selected, setSelected] = useState<string | null>(() => design.rules[0]?.handle ?? null);
  const flows = useLoad(() => loadFlows(api, tenant).catch(() => []), [api, tenant]);
  const title = localized(formTitle, lang, form);
  const setProblemsCount = Object.values(problems.set).reduce((n, l) => n + l.length, 0);
  const rule = design.rules.find((r) => r.handle === selected);

  const fieldChoices = useMemo(
    () => fields.filter((f) => !f.path.includes('.')).map((f) => ({ value: f.path, label: f.label ? `${localized(f.label, lang, f.path)} (${f.path})` : f.path })),
    [fields, lang],
  );
  const flowChoices = (flows.data ?? []).filter((f) => f.form === form || f.form === '').map((f) => ({ value: f.key, label: nameWithKey(f.name, lang, f.key) }));
  const nodesOf = (flow: string) => flows.data?.find((f) => f.key === flow)?.nodes ?? [];

  const ruleState: RuleState | null = rule
    ? {
        handle: rule.handle,
        set: (path, value) => edit({ kind: 'setRule', handle: rule.handle, path, value }),
        problems: problems.rules[rule.handle],
        fields,
        fieldChoices,
        flows: flowChoices,
      }
    : null;

  const addRule = () => {
    const handle = newId();
    const taken = design.rules.map((r) => String(r.raw['key'] ?? ''));
    const title = { 'zh-CN': i18n.t('automation.rules.newTitle', { lng: 'zh-CN' }), en: i18n.t('automation.rules.newTitle', { lng: 'en' }) };
    edit({ kind: 'addRule', handle, rule: newRule(taken, title) });
    setSelected(handle);
  };

  return (
    <section className="designer rules-editor">
      <p className="crumbs">
        <Link to="/designer/rules">{t('automation.rules.back')}</Link>
      </p>
      <h1>{t('automation.rules.title', { form: title })}</h1>
      <DefinitionToolbar editor={editor} words="designer" undo />
      <DefinitionStatus editor={editor} words="automation.rules.status">
        {setProblemsCount > 0 ? <span className="problem"> {t('automation.rules.status.setProblems', { count: setProblemsCount })}</span> : null}
      </DefinitionStatus>
      <Problems id="rule-set-problems" problems={Object.values(problems.set).flat()} />
      {editor.error ? <ErrorNotice error={editor.error} /> : null}
      <VersionHistory id="designer-versions" className="designer-versions card" words="designer" editor={editor} />
      <div className="rules-grid">
        <nav className="card rule-list" aria-label={t('automation.rules.rules')}>
          <h2>{t('automation.rules.rules')}</h2>
          {design.rules.length === 0 ? <p className="meta">{t('automation.rules.noRules')}</p> : null}
          <ol>
            {design.rules.map((r, i) => {
              const name = localized(isObject(r.raw['title']) ? (r.raw['title'] as Localized) : undefined, lang, String(r.raw['key'] ?? ''));
              const count = Object.values(problems.rules[r.handle] ?? {}).reduce((n, l) => n + l.length, 0);
              return (
                <li key={r.handle} className={[r.handle === selected ? 'selected' : '', count > 0 ? 'has-problems' : ''].join(' ')}>
                  <button type="button" className="card-select" aria-pressed={r.handle === selected} onClick={() => setSelected(r.handle)}>
                    {name}
                  </button>
                  <span className="meta">
                    <code>{String(r.raw['key'] ?? '')}</code>
                    {typeof r.raw['priority'] === 'number' ? ` · ${t('automation.rules.priority', { n: r.raw['priority'] })}` : ''}
                    {r.raw['enabled'] === false ? ` · ${t('automation.rules.off')}` : ''}
                  </span>
                  {count > 0 ? <span className="problem"> {t('automation.rules.problems', { count })}</span> : null}
                  <span className="rule-moves">
                    <button type="button" className="link" disabled={i === 0} aria-label={t('automation.rules.moveUp', { rule: name })} onClick={() => edit({ kind: 'moveRule', handle: r.handle, by: -1 })}>
                      ↑
                    </button>
                    <button type="button" className="link" disabled={i === design.rules.length - 1} aria-label={t('automation.rules.moveDown', { rule: name })} onClick={() => edit({ kind: 'moveRule', handle: r.handle, by: 1 })}>
                      ↓
                    </button>
                  </span>
                </li>
              );
            })}
          </ol>
          <button type="button" onClick={addRule}>
            {t('automation.rules.addRule')}
          </button>
        </nav>
        {rule && ruleState ? (
          <RuleProvider value={ruleState}>
            <RuleEditor
              key={rule.handle}
              rule={rule}
              nodes={nodesOf}
              onRemove={() => {
                edit({ kind: 'removeRule', handle: rule.handle });
                setSelected(design.rules.find((r) => r.handle !== rule.handle)?.handle ?? null);
              }}
            />
          </RuleProvider>
        ) : (
          <p className="card meta">{t('automation.rules.edit.choose')}</p>
        )}
        {rule ? (
          <DryRunPanel
            form={form}
            ruleKey={String(rule.raw['key'] ?? '')}
            definition={() => toRuleSet(design)}
            condition={rule.raw['condition']}
            fields={fields}
            onRefused={(err) => editor.placeError(err, design)}
          />
        ) : null}
      </div>
    </section>
  );
}
