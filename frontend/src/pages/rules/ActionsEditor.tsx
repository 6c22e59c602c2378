import { useTranslation } from 'react-i18next';
import { isObject } from '../../core/designer/isObject';
import type { Json, JsonObject } from '../../core/designer/types';
import { problemsUnder } from '../../core/flows/problemsUnder';
import { parseLeafValue } from '../../core/rules/leafValue';
import { leafValueText } from '../../core/rules/leafValueText';
import { ACTION_TYPES, newAction, type ActionType } from '../../core/rules/newAction';
import { LocalizedInput, Problems, SelectInput, TextInput } from '../flowdesigner/Inputs';
import { useRule } from './rulesContext';

/** ActionsEditor edits what a rule does when it holds: each action with its own members, added, changed, removed. */
export function ActionsEditor({ actions }: { actions: Json | undefined }) {
  const { t } = useTranslation();
  const { set, problems, handle } = useRule();
  const list = Array.isArray(actions) ? actions : [];
  const id = `rule-${handle}-actions`;
  return (
    <fieldset className="prop-group">
      <legend>{t('automation.rules.actions.title')}</legend>
      <ol className="rule-actions">
        {list.map((a, i) => (
          <li key={i}>
            <ActionEditor action={isObject(a) ? a : {}} index={i} />
          </li>
        ))}
      </ol>
      <label className="visually-hidden" htmlFor={`${id}-add`}>
        {t('automation.rules.actions.add')}
      </label>
      <select
        id={`${id}-add`}
        value=""
        onChange={(e) => {
          if (e.target.value) set(['actions', list.length], newAction(e.target.value as ActionType));
        }}
      >
        <option value="">{t('automation.rules.actions.add')}</option>
        {ACTION_TYPES.map((a) => (
          <option key={a} value={a}>
            {t(`automation.rules.actions.types.${a}`)}
          </option>
        ))}
      </select>
      <Problems id={`${id}-problems`} problems={problems?.['actions']} />
    </fieldset>
  );
}

function ActionEditor({ action, index }: { action: JsonObject; index: number }) {
  const { t } = useTranslation();
  const { set, problems, fieldChoices, fields, flows, handle } = useRule();
  const n = index + 1;
  const id = `rule-${handle}-action-${index}`;
  const type = typeof action['type'] === 'string' ? action['type'] : '';
  const own = (m: string) => problemsUnder(problems, `actions/${index}/${m}`);
  const setMember = (m: string, v: Json | undefined) => set(['actions', index, m], v);
  const text = (m: string, label: string, extra: { hint?: string; keepEmpty?: boolean; code?: boolean } = {}) => (
    <TextInput id={`${id}-${m}`} label={label} value={action[m]} onChange={(v) => setMember(m, v ?? (extra.keepEmpty ? '' : undefined))} problems={own(m)} hint={extra.hint} keepEmpty={extra.keepEmpty ?? false} code={extra.code ?? false} />
  );
  const fieldKind = fields.find((f) => f.path === action['field'])?.kind ?? 'any';
  const exprMode = 'expr' in action && !('value' in action);

  return (
    <fieldset className="rule-action">
      <legend>{t('automation.rules.actions.type', { n })}</legend>
      <SelectInput
        id={`${id}-type`}
        label={t('automation.rules.actions.type', { n })}
        value={type}
        choices={ACTION_TYPES.map((a) => ({ value: a, label: t(`automation.rules.actions.types.${a}`) }))}
        onChange={(v) => set(['actions', index], newAction((v ?? 'flag') as ActionType))}
        problems={own('type')}
      />
      {type === 'set_field' ? (
        <>
          <SelectInput id={`${id}-field`} label={t('automation.rules.actions.field')} value={action['field']} choices={fieldChoices} empty={t('automation.flows.panel.choose')} onChange={(v) => setMember('field', v ?? '')} problems={own('field')} />
          <SelectInput
            id={`${id}-mode`}
            label={t('automation.rules.actions.valueMode')}
            value={exprMode ? 'expr' : 'value'}
            choices={(['value', 'expr'] as const).map((m) => ({ value: m, label: t(`automation.rules.actions.valueModes.${m}`) }))}
            onChange={(m) => {
              const next: JsonObject = { ...action };
              delete next['value'];
              delete next['expr'];
              next[m === 'expr' ? 'expr' : 'value'] = m === 'expr' ? 'record.' : '';
              set(['actions', index], next);
            }}
          />
          {exprMode ? (
            text('expr', t('automation.rules.actions.expr'), { keepEmpty: true, code: true })
          ) : (
            <TextInput id={`${id}-value`} label={t('automation.rules.actions.value')} value={leafValueText(action['value'])} onChange={(v = '') => setMember('value', parseLeafValue(v, fieldKind, 'eq') ?? '')} problems={own('value')} keepEmpty />
          )}
        </>
      ) : null}
      {type === 'reject' ? <LocalizedInput id={`${id}-reason`} label={t('automation.rules.actions.reason')} value={action['reason']} onChange={(v) => setMember('reason', v ?? {})} problems={own('reason')} /> : null}
      {type === 'flag' ? (
        <>
          {text('flag', t('automation.rules.actions.flag'), { hint: t('automation.rules.actions.flagHint'), keepEmpty: true, code: true })}
          <LocalizedInput id={`${id}-reason`} label={t('automation.rules.actions.reason')} value={action['reason']} onChange={(v) => setMember('reason', v)} problems={own('reason')} />
        </>
      ) : null}
      {type === 'create_task' ? (
        <>
          <SelectInput
            id={`${id}-assignee`}
            label={t('automation.rules.actions.assignee')}
            value={'user' in action ? 'user' : 'role'}
            choices={(['role', 'user'] as const).map((k) => ({ value: k, label: t(`automation.rules.actions.assignees.${k}`) }))}
            onChange={(k) => {
              const next: JsonObject = { ...action };
              delete next['role'];
              delete next['user'];
              set(['actions', index], { ...next, [k ?? 'role']: '' });
            }}
          />
          {'user' in action ? text('user', t('automation.rules.actions.user'), { keepEmpty: true, code: true }) : text('role', t('automation.rules.actions.role'), { keepEmpty: true, code: true })}
          <LocalizedInput id={`${id}-title`} label={t('automation.rules.actions.taskTitle')} value={action['title']} onChange={(v) => setMember('title', v ?? {})} problems={own('title')} />
          {text('due_in', t('automation.rules.actions.dueIn'), { hint: t('automation.rules.actions.dueInHint'), code: true })}
        </>
      ) : null}
      {type === 'start_flow' ? (
        <SelectInput id={`${id}-flow`} label={t('automation.rules.actions.flow')} value={action['flow']} choices={flows} empty={t('automation.flows.panel.choose')} onChange={(v) => setMember('flow', v ?? '')} problems={own('flow')} />
      ) : null}
      {type === 'call_plugin' ? (
        <SelectInput
          id={`${id}-kind`}
          label={t('automation.rules.actions.kind')}
          value={action['kind']}
          choices={(['scorer', 'fraud_detector'] as const).map((k) => ({ value: k, label: t(`automation.rules.actions.kinds.${k}`) }))}
          onChange={(v) => setMember('kind', v ?? '')}
          problems={own('kind')}
        />
      ) : null}
      {type === 'notify' ? (
        <>
          <SelectInput
            id={`${id}-channel`}
            label={t('automation.rules.actions.channel')}
            value={action['channel']}
            choices={(['in_app', 'webhook'] as const).map((c) => ({ value: c, label: t(`automation.rules.actions.channels.${c}`) }))}
            onChange={(v) => setMember('channel', v ?? 'in_app')}
            problems={own('channel')}
          />
          {text('to', t('automation.rules.actions.to'), { hint: t('automation.rules.actions.toHint'), keepEmpty: true, code: true })}
          {text('template', t('automation.rules.actions.template'), { keepEmpty: true, code: true })}
        </>
      ) : null}
      {type === 'add_to_list' ? (
        <>
          {text('list', t('automation.rules.actions.list'), { hint: t('automation.rules.actions.listHint'), keepEmpty: true, code: true })}
          <SelectInput id={`${id}-field`} label={t('automation.rules.actions.listField')} value={action['field']} choices={fieldChoices} empty={t('automation.flows.panel.choose')} onChange={(v) => setMember('field', v ?? '')} problems={own('field')} />
        </>
      ) : null}
      <Problems id={`${id}-problems`} problems={problems?.[`actions/${index}`]} />
      <button type="button" className="link" onClick={() => set(['actions', index], undefined)}>
        {t('automation.rules.actions.remove', { n })}
      </button>
    </fieldset>
  );
}
