import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isObject } from '../../core/designer/isObject';
import type { Json, JsonObject } from '../../core/designer/types';
import { ACTION_DOS } from '../../core/flows/nodeTypes';
import { problemsUnder } from '../../core/flows/problemsUnder';
import type { ActionDo, Item } from '../../core/flows/types';
import { FieldListInput } from './FieldListInput';
import { CheckInput, Problems, SelectInput, TextInput } from './Inputs';
import { usePanel } from './panelContext';

/**
 * ActionFields edits an automated step: what it does (credit score, fraud check, set
 * fields, start a flow, call a webhook) and that action's own members; changing what it
 * does drops the members the new action refuses.
 */
export function ActionFields({ node }: { node: Item }) {
  const { t } = useTranslation();
  const { problems, edit, fields, flows } = usePanel();
  const raw = node.raw;
  const own = problems.nodes[node.handle];
  const id = `node-${node.handle}`;
  const set = (path: ReadonlyArray<string | number>, value: Json | undefined) => edit({ kind: 'setNode', handle: node.handle, path, value });
  const act = raw['do'];
  return (
    <>
      <SelectInput
        id={`${id}-do`}
        label={t('automation.flows.panel.do')}
        value={act}
        choices={ACTION_DOS.map((d) => ({ value: d, label: t(`automation.flows.dos.${d}`) }))}
        onChange={(v) => edit({ kind: 'setDo', handle: node.handle, action: (v ?? 'set_fields') as ActionDo })}
        problems={own?.['do']}
      />
      {act === 'score' || act === 'fraud' ? (
        <>
          <SelectInput id={`${id}-field`} label={t('automation.flows.panel.decisionField')} value={raw['field']} choices={fields} empty={t('automation.flows.panel.ownField')} onChange={(v) => set(['field'], v)} problems={own?.['field']} />
          <CheckInput id={`${id}-rerun`} label={t('automation.flows.panel.rerun')} checked={raw['rerun'] === true} onChange={(on) => set(['rerun'], on || undefined)} problems={own?.['rerun']} />
        </>
      ) : null}
      {act === 'set_fields' ? (
        <>
          <ValuesInput node={node} member="values" />
          <ValuesInput node={node} member="exprs" />
        </>
      ) : null}
      {act === 'start_flow' ? (
        <SelectInput id={`${id}-flow`} label={t('automation.flows.panel.startFlow')} value={raw['flow']} choices={flows} empty={t('automation.flows.panel.choose')} onChange={(v) => set(['flow'], v ?? '')} problems={own?.['flow']} />
      ) : null}
      {act === 'webhook' ? (
        <>
          <TextInput id={`${id}-url`} label={t('automation.flows.panel.url')} value={raw['url']} onChange={(v) => set(['url'], v ?? '')} problems={own?.['url']} keepEmpty code />
          <FieldListInput id={`${id}-fields`} label={t('automation.flows.panel.sent')} value={raw['fields']} choices={fields} onChange={(v) => set(['fields'], v)} problems={problemsUnder(own, 'fields')} />
        </>
      ) : null}
    </>
  );
}

/**
 * ValuesInput edits set_fields' constant values (JSON: "approved" is text, 3 a number)
 * or its CEL expressions, one row per field.
 */
function ValuesInput({ node, member }: { node: Item; member: 'values' | 'exprs' }) {
  const { t } = useTranslation();
  const { problems, edit, fields } = usePanel();
  const own = problems.nodes[node.handle];
  const map: JsonObject = isObject(node.raw[member]) ? node.raw[member] : {};
  const id = `node-${node.handle}-${member}`;
  const set = (path: ReadonlyArray<string | number>, value: Json | undefined) => edit({ kind: 'setNode', handle: node.handle, path: [member, ...path], value });
  const left = fields.filter((f) => !(f.value in map));
  const label = (name: string) => fields.find((f) => f.value === name)?.label ?? name;
  return (
    <fieldset className="prop-group">
      <legend>{t(member === 'values' ? 'automation.flows.panel.values' : 'automation.flows.panel.exprs')}</legend>
      {Object.entries(map).map(([name, value]) => (
        <div className="value-row" key={name}>
          {member === 'values' ? (
            <JsonValueInput id={`${id}-${name}`} label={t('automation.flows.panel.value', { field: label(name) })} value={value} onChange={(v) => set([name], v)} problems={problemsUnder(own, `${member}/${name}`)} />
          ) : (
            <TextInput id={`${id}-${name}`} label={t('automation.flows.panel.expr', { field: label(name) })} value={value} onChange={(v) => set([name], v ?? '')} problems={problemsUnder(own, `${member}/${name}`)} keepEmpty code />
          )}
          <button type="button" className="link" onClick={() => set([name], undefined)}>
            {t('automation.flows.panel.removeField', { field: label(name) })}
          </button>
        </div>
      ))}
      <label className="visually-hidden" htmlFor={`${id}-add`}>
        {t(member === 'values' ? 'automation.flows.panel.addValue' : 'automation.flows.panel.addExpr')}
      </label>
      <select
        id={`${id}-add`}
        value=""
        onChange={(e) => {
          if (e.target.value) set([e.target.value], member === 'values' ? '' : 'record.');
        }}
      >
        <option value="">{t(member === 'values' ? 'automation.flows.panel.addValue' : 'automation.flows.panel.addExpr')}</option>
        {left.map((f) => (
          <option key={f.value} value={f.value}>
            {f.label}
          </option>
        ))}
      </select>
      <Problems id={`${id}-problems`} problems={own?.[member]} />
    </fieldset>
  );
}

/**
 * JsonValueInput edits a constant: what reads as JSON (a number, true, null, "quoted")
 * is that value, anything else is text.
 */
function JsonValueInput({ id, label, value, onChange, problems }: { id: string; label: string; value: Json; onChange: (v: Json) => void; problems: ReturnType<typeof problemsUnder> }) {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  const [typed, setTyped] = useState<string | null>(null);
  return (
    <TextInput
      id={id}
      label={label}
      value={typed ?? shown}
      keepEmpty
      problems={problems}
      onChange={(s = '') => {
        setTyped(s);
        onChange(readJson(s));
      }}
    />
  );
}

function readJson(s: string): Json {
  const trimmed = s.trim();
  if (trimmed === 'true' || trimmed === 'false' || trimmed === 'null' || /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed) || trimmed.startsWith('"')) {
    try {
      return JSON.parse(trimmed) as Json;
    } catch {
      return s;
    }
  }
  return s;
}
