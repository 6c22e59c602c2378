import { useTranslation } from 'react-i18next';
import type { Json } from '../../core/designer/types';
import { problemsUnder } from '../../core/flows/problemsUnder';
import type { Item } from '../../core/flows/types';
import { CheckInput, LocalizedInput, Problems, TextInput } from '../flowdesigner/Inputs';
import { ActionsEditor } from './ActionsEditor';
import { ConditionEditor } from './ConditionBuilder';
import { useRule } from './rulesContext';
import { TriggerEditor } from './TriggerEditor';

/** RuleEditor edits one rule: key, title, priority, on or off, when, if, then. */
export function RuleEditor({ rule, nodes, onRemove }: { rule: Item; nodes: (flow: string) => string[]; onRemove: () => void }) {
  const { t } = useTranslation();
  const { set, problems } = useRule();
  const raw = rule.raw;
  const id = `rule-${rule.handle}`;
  const priority = raw['priority'];
  return (
    <section className="designer-panel rule-editor card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('automation.rules.edit.heading')}</h2>
      <Problems id={`${id}-problems`} problems={problems?.['']} />
      <TextInput id={`${id}-key`} label={t('automation.rules.edit.key')} value={raw['key']} onChange={(v) => set(['key'], v ?? '')} problems={problems?.['key']} hint={t('automation.rules.edit.keyHint')} keepEmpty code />
      <LocalizedInput id={`${id}-title`} label={t('automation.rules.edit.title')} value={raw['title']} onChange={(v) => set(['title'], v ?? {})} problems={problemsUnder(problems, 'title')} />
      <TextInput
        id={`${id}-priority`}
        label={t('automation.rules.edit.priority')}
        value={priority === undefined ? '' : String(priority)}
        onChange={(v) => {
          const n = Number(v);
          set(['priority'], v === undefined ? undefined : ((Number.isInteger(n) ? n : v) as Json));
        }}
        problems={problems?.['priority']}
        hint={t('automation.rules.edit.priorityHint')}
      />
      <CheckInput
        id={`${id}-enabled`}
        label={t('automation.rules.edit.enabled')}
        checked={raw['enabled'] !== false}
        onChange={(on) => set(['enabled'], on ? undefined : false)}
        problems={problems?.['enabled']}
      />
      <TriggerEditor trigger={raw['trigger']} nodes={nodes} />
      <ConditionEditor condition={raw['condition']} />
      <ActionsEditor actions={raw['actions']} />
      <button type="button" className="danger" onClick={onRemove}>
        {t('automation.rules.edit.remove')}
      </button>
    </section>
  );
}
