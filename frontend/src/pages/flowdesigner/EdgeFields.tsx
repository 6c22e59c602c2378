import { useTranslation } from 'react-i18next';
import type { Json } from '../../core/designer/types';
import { problemsUnder } from '../../core/flows/problemsUnder';
import type { Item } from '../../core/flows/types';
import { CheckInput, LocalizedInput, Problems, SelectInput, TextInput } from './Inputs';
import { usePanel } from './panelContext';

/**
 * EdgeFields edits one connection: a gateway's condition (CEL, checked by the server on
 * save) or its default, an approval's decision, and with full its label and ends.
 */
export function EdgeFields({ edge, full = false }: { edge: Item; full?: boolean }) {
  const { t } = useTranslation();
  const { design, problems, edit } = usePanel();
  const own = problems.edges[edge.handle];
  const raw = edge.raw;
  const source = design.nodes.find((n) => n.raw['id'] === raw['from']);
  const sourceType = source?.raw['type'];
  const to = String(raw['to'] ?? '');
  const id = `edge-${edge.handle}`;
  const set = (member: string, value: Json | undefined) => edit({ kind: 'setEdge', handle: edge.handle, path: [member], value });
  const nodeChoices = design.nodes.map((n) => ({ value: String(n.raw['id'] ?? ''), label: String(n.raw['id'] ?? '') }));
  return (
    <div className="edge-fields">
      {full ? (
        <>
          <SelectInput id={`${id}-from`} label={t('automation.flows.panel.from')} value={raw['from']} choices={nodeChoices} onChange={(v) => set('from', v ?? '')} problems={own?.['from']} />
          <SelectInput id={`${id}-to`} label={t('automation.flows.panel.to')} value={raw['to']} choices={nodeChoices} onChange={(v) => set('to', v ?? '')} problems={own?.['to']} />
        </>
      ) : null}
      {sourceType === 'gateway' || raw['condition'] !== undefined || raw['default'] !== undefined ? (
        <>
          <CheckInput
            id={`${id}-default`}
            label={t('automation.flows.panel.isDefault', { to })}
            checked={raw['default'] === true}
            onChange={(on) => {
              set('default', on ? true : undefined);
              if (on) set('condition', undefined);
            }}
            problems={own?.['default']}
          />
          {raw['default'] !== true || raw['condition'] !== undefined ? (
            <TextInput
              id={`${id}-condition`}
              label={t('automation.flows.panel.condition', { to })}
              value={raw['condition']}
              onChange={(v) => set('condition', v)}
              problems={own?.['condition']}
              hint={t('automation.flows.panel.conditionHint')}
              multiline
              code
            />
          ) : null}
        </>
      ) : null}
      {sourceType === 'approval' || raw['decision'] !== undefined ? (
        <SelectInput
          id={`${id}-decision`}
          label={t('automation.flows.panel.decision', { to })}
          value={raw['decision']}
          empty={t('automation.flows.panel.noDecision')}
          choices={[
            { value: 'approve', label: t('automation.flows.panel.decisions.approve') },
            { value: 'reject', label: t('automation.flows.panel.decisions.reject') },
          ]}
          onChange={(v) => set('decision', v)}
          problems={own?.['decision']}
        />
      ) : null}
      {full ? (
        <>
          <LocalizedInput id={`${id}-name`} label={t('automation.flows.panel.label')} value={raw['name']} onChange={(v) => set('name', v)} problems={problemsUnder(own, 'name')} />
          <Problems id={`${id}-problems`} problems={own?.['']} />
        </>
      ) : null}
    </div>
  );
}
