import { useTranslation } from 'react-i18next';
import { isObject } from '../../core/designer/isObject';
import type { Json } from '../../core/designer/types';
import { problemsUnder } from '../../core/flows/problemsUnder';
import { TRIGGERS, triggerFor } from '../../core/rules/triggerFor';
import { FieldListInput } from '../flowdesigner/FieldListInput';
import { Problems, SelectInput, TextInput } from '../flowdesigner/Inputs';
import { useRule } from './rulesContext';

/**
 * TriggerEditor edits when a rule is considered: a record created or changed, some
 * fields changed, a flow reaching or leaving a step, or a schedule (cron, time zone).
 */
export function TriggerEditor({ trigger, nodes }: { trigger: Json | undefined; nodes: (flow: string) => string[] }) {
  const { t } = useTranslation();
  const { set, problems, fieldChoices, flows, handle } = useRule();
  const tr = isObject(trigger) ? trigger : {};
  const on = typeof tr['on'] === 'string' ? tr['on'] : '';
  const id = `rule-${handle}-trigger`;
  const own = (m: string) => problemsUnder(problems, `trigger/${m}`);
  const setMember = (m: string, v: Json | undefined) => set(['trigger', m], v);
  const flow = typeof tr['flow'] === 'string' ? tr['flow'] : '';
  return (
    <fieldset className="prop-group">
      <legend>{t('automation.rules.trigger.title')}</legend>
      <SelectInput
        id={`${id}-on`}
        label={t('automation.rules.trigger.on')}
        value={on}
        choices={TRIGGERS.map((e) => ({ value: e, label: t(`automation.rules.trigger.events.${e.replace('.', '_') as 'schedule'}`) }))}
        onChange={(v) => set(['trigger'], triggerFor(trigger, v ?? 'record.created'))}
        problems={own('on')}
      />
      {on === 'field.changed' ? (
        <FieldListInput id={`${id}-fields`} label={t('automation.rules.trigger.fields')} value={tr['fields']} choices={fieldChoices} onChange={(v) => setMember('fields', v ?? [])} problems={own('fields')} keepEmpty />
      ) : null}
      {on === 'flow.node_entered' || on === 'flow.node_left' ? (
        <>
          <SelectInput id={`${id}-flow`} label={t('automation.rules.trigger.flow')} value={tr['flow']} choices={flows} empty={t('automation.flows.panel.choose')} onChange={(v) => setMember('flow', v ?? '')} problems={own('flow')} />
          <datalist id={`${id}-nodes`}>
            {nodes(flow).map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
          <TextInput id={`${id}-node`} label={t('automation.rules.trigger.node')} value={tr['node']} onChange={(v) => setMember('node', v ?? '')} problems={own('node')} list={`${id}-nodes`} keepEmpty code />
        </>
      ) : null}
      {on === 'schedule' ? (
        <>
          <TextInput id={`${id}-cron`} label={t('automation.rules.trigger.cron')} value={tr['cron']} onChange={(v) => setMember('cron', v ?? '')} problems={own('cron')} hint={t('automation.rules.trigger.cronHint')} keepEmpty code />
          <TextInput id={`${id}-timezone`} label={t('automation.rules.trigger.timezone')} value={tr['timezone']} onChange={(v) => setMember('timezone', v)} problems={own('timezone')} hint={t('automation.rules.trigger.timezoneHint')} code />
        </>
      ) : null}
      <Problems id={`${id}-problems`} problems={problems?.['trigger']} />
    </fieldset>
  );
}
