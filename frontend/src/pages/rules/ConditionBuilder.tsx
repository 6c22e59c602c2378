import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isObject } from '../../core/designer/isObject';
import type { Json, JsonObject } from '../../core/designer/types';
import { problemsUnder } from '../../core/flows/problemsUnder';
import { celToCondition } from '../../core/rules/celToCondition';
import { conditionToCel } from '../../core/rules/conditionToCel';
import { parseLeafValue } from '../../core/rules/leafValue';
import { leafValueText } from '../../core/rules/leafValueText';
import { operatorsFor } from '../../core/rules/operators';
import type { Group, Operator } from '../../core/rules/types';
import { localized } from '../../core/forms/localized';
import { Problems, SelectInput, TextInput } from '../flowdesigner/Inputs';
import { fieldLabel } from './fieldLabel';
import { useRule } from './rulesContext';

type Mode = 'none' | 'builder' | 'text';

/**
 * ConditionEditor edits when a rule holds: always (no condition), a visual condition
 * (comparisons in all/any groups, nested), or a CEL expression. A tree switches to the
 * text it compiles to; text switches back to a tree only when it is one, else it stays
 * text and the editor says so.
 */
export function ConditionEditor({ condition }: { condition: Json | undefined }) {
  const { t } = useTranslation();
  const { set, problems, fields, handle } = useRule();
  const [notice, setNotice] = useState(false);
  const mode: Mode = condition === undefined ? 'none' : typeof condition === 'string' ? 'text' : 'builder';
  const id = `rule-${handle}-condition`;

  const switchTo = (next: Mode) => {
    setNotice(false);
    if (next === mode) return;
    if (next === 'none') return set(['condition'], undefined);
    if (next === 'text') return set(['condition'], isObject(condition) ? conditionToCel(condition as unknown as Group, fields) : '');
    const tree = typeof condition === 'string' ? celToCondition(condition, fields) : null;
    if (typeof condition === 'string' && condition.trim() !== '' && !tree) return setNotice(true);
    set(['condition'], (tree as unknown as JsonObject) ?? { all: [] });
  };

  return (
    <fieldset className="prop-group condition">
      <legend>{t('automation.rules.condition.title')}</legend>
      <div className="mode-switch" role="radiogroup" aria-label={t('automation.rules.condition.mode')}>
        {(['none', 'builder', 'text'] as const).map((m) => (
          <label key={m} className="check">
            <input type="radio" name={`${id}-mode`} checked={mode === m} onChange={() => switchTo(m)} />
            {t(`automation.rules.condition.modes.${m}`)}
          </label>
        ))}
      </div>
      {notice ? (
        <p className="notice" role="status">
          {t('automation.rules.condition.notTree')}
        </p>
      ) : null}
      {mode === 'text' ? (
        <TextInput
          id={`${id}-text`}
          label={t('automation.rules.condition.expression')}
          value={condition}
          onChange={(v) => set(['condition'], v ?? '')}
          problems={problemsUnder(problems, 'condition')}
          hint={t('automation.rules.condition.expressionHint')}
          multiline
          code
          keepEmpty
        />
      ) : null}
      {mode === 'builder' && isObject(condition) ? (
        <>
          <GroupEditor group={condition} path={[]} label="" />
          <Problems id={`${id}-problems`} problems={problems?.['condition']} />
        </>
      ) : null}
    </fieldset>
  );
}

/** GroupEditor edits one all/any group: how its items join, the items, adding and removing. */
function GroupEditor({ group, path, label }: { group: JsonObject; path: Array<string | number>; label: string }) {
  const { t } = useTranslation();
  const { set, problems, fields, handle } = useRule();
  const key = Array.isArray(group['any']) && !Array.isArray(group['all']) ? 'any' : 'all';
  const items = Array.isArray(group[key]) ? (group[key] as Json[]) : [];
  const at = ['condition', ...path];
  const id = `rule-${handle}-${at.join('-')}`;
  const firstField = fields.find((f) => operatorsFor(f).includes('eq'))?.path ?? fields[0]?.path ?? '';
  return (
    <div className="cond-group">
      <SelectInput
        id={`${id}-join`}
        label={label ? `${label}: ${t('automation.rules.condition.join')}` : t('automation.rules.condition.join')}
        value={key}
        choices={(['all', 'any'] as const).map((k) => ({ value: k, label: t(`automation.rules.condition.${k}`) }))}
        onChange={(k) => {
          if (k && k !== key) set(at, { [k]: items });
        }}
      />
      {items.length === 0 ? <p className="meta">{t('automation.rules.condition.empty')}</p> : null}
      <ol className="cond-items">
        {items.map((item, i) => {
          const n = label ? `${label}.${i + 1}` : `${i + 1}`;
          const itemPath = [...path, key, i];
          const obj = isObject(item) ? item : {};
          return (
            <li key={i}>
              {'field' in obj ? (
                <LeafEditor leaf={obj} path={itemPath} n={n} />
              ) : (
                <fieldset className="cond-nested">
                  <legend>{`${t('automation.rules.condition.group')} ${n}`}</legend>
                  <GroupEditor group={obj} path={itemPath} label={n} />
                </fieldset>
              )}
              <button type="button" className="link" onClick={() => set(['condition', ...itemPath], undefined)} aria-label={`${t('automation.rules.condition.remove')} ${n}`}>
                {t('automation.rules.condition.remove')}
              </button>
            </li>
          );
        })}
      </ol>
      <div className="cond-add">
        <button type="button" onClick={() => set([...at, key, items.length], { field: firstField, op: 'eq' })}>
          {t('automation.rules.condition.addLeaf')}
        </button>
        <button type="button" onClick={() => set([...at, key, items.length], { all: [{ field: firstField, op: 'eq' }] })}>
          {t('automation.rules.condition.addGroup')}
        </button>
      </div>
      <Problems id={`${id}-problems`} problems={problems?.[at.join('/')]} />
    </div>
  );
}

/** LeafEditor edits one comparison: the field, the comparisons its kind allows, the value (a choice where the field has options). */
function LeafEditor({ leaf, path, n }: { leaf: JsonObject; path: Array<string | number>; n: string }) {
  const { t, i18n } = useTranslation();
  const { set, problems, fields, handle } = useRule();
  const lang = i18n.language;
  const at = ['condition', ...path];
  const id = `rule-${handle}-${at.join('-')}`;
  const own = (member: string) => problemsUnder(problems, `${at.join('/')}/${member}`);
  const fieldPath = typeof leaf['field'] === 'string' ? leaf['field'] : '';
  const field = fields.find((f) => f.path === fieldPath);
  const ops = operatorsFor(field);
  const op = (typeof leaf['op'] === 'string' ? leaf['op'] : 'eq') as Operator;
  const kind = field?.kind ?? 'any';
  const [typed, setTyped] = useState<string | null>(null);
  const setValue = (v: Json | undefined) => set([...at, 'value'], v);
  const withOp = (nextOp: Operator, nextKind = kind) => {
    const next: JsonObject = { ...leaf, op: nextOp };
    const value = nextOp === 'is_set' || nextOp === 'not_set' ? undefined : parseLeafValue(leafValueText(leaf['value']), nextKind, nextOp);
    if (value === undefined) delete next['value'];
    else next['value'] = value;
    set(at, next);
    setTyped(null);
  };
  const options = field?.options;
  const choiceValue = options && (op === 'eq' || op === 'ne');
  const boolValue = kind === 'boolean' && (op === 'eq' || op === 'ne');

  return (
    <fieldset className="cond-leaf">
      <legend>{`${t('automation.rules.condition.op')} ${n}`}</legend>
      <SelectInput
        id={`${id}-field`}
        label={t('automation.rules.condition.field')}
        value={fieldPath}
        choices={fields.map((f) => ({ value: f.path, label: fieldLabel(f, lang) }))}
        onChange={(p) => {
          const nf = fields.find((f) => f.path === p);
          const allowed = operatorsFor(nf);
          const nextOp = allowed.includes(op) ? op : (allowed[0] ?? 'is_set');
          const next: JsonObject = { ...leaf, field: p ?? '', op: nextOp };
          const value = nextOp === 'is_set' || nextOp === 'not_set' ? undefined : parseLeafValue(leafValueText(leaf['value']), nf?.kind ?? 'any', nextOp);
          if (value === undefined) delete next['value'];
          else next['value'] = value;
          set(at, next);
          setTyped(null);
        }}
        problems={own('field')}
      />
      <SelectInput
        id={`${id}-op`}
        label={t('automation.rules.condition.op')}
        value={op}
        choices={ops.map((o) => ({ value: o, label: t(`automation.rules.condition.ops.${o}`) }))}
        onChange={(o) => withOp((o ?? 'eq') as Operator)}
        problems={own('op')}
      />
      {op === 'is_set' || op === 'not_set' ? null : choiceValue ? (
        <SelectInput
          id={`${id}-value`}
          label={t('automation.rules.condition.value')}
          value={leafValueText(leaf['value'])}
          empty={t('automation.flows.panel.choose')}
          choices={options.map((o) => ({ value: String(o.value), label: o.label ? localized(o.label, lang, String(o.value)) : String(o.value) }))}
          onChange={(v) => setValue(v === undefined ? undefined : (options.find((o) => String(o.value) === v)?.value ?? v))}
          problems={own('value')}
        />
      ) : boolValue ? (
        <SelectInput
          id={`${id}-value`}
          label={t('automation.rules.condition.value')}
          value={leaf['value'] === undefined ? '' : String(leaf['value'])}
          empty={t('automation.flows.panel.choose')}
          choices={[
            { value: 'true', label: t('automation.rules.condition.yes') },
            { value: 'false', label: t('automation.rules.condition.no') },
          ]}
          onChange={(v) => setValue(v === undefined ? undefined : v === 'true')}
          problems={own('value')}
        />
      ) : (
        <TextInput
          id={`${id}-value`}
          label={op === 'in' ? t('automation.rules.condition.values') : t('automation.rules.condition.value')}
          value={typed ?? leafValueText(leaf['value'])}
          keepEmpty
          onChange={(s = '') => {
            setTyped(s);
            setValue(parseLeafValue(s, kind, op));
          }}
          problems={own('value')}
        />
      )}
      <Problems id={`${id}-problems`} problems={problems?.[at.join('/')]} />
    </fieldset>
  );
}
