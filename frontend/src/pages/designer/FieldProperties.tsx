import { useTranslation } from 'react-i18next';
import { computedExpr } from '../../core/designer/computedExpr';
import { fieldKind } from '../../core/designer/fieldKind';
import { fieldProperties, type FieldProperty } from '../../core/designer/fieldProperties';
import type { FoundField } from '../../core/designer/findField';
import { isObject } from '../../core/designer/isObject';
import { isRequired } from '../../core/designer/isRequired';
import { optionsOf } from '../../core/designer/optionsOf';
import type { Json } from '../../core/designer/types';
import { useDesigner } from './DesignerContext';
import { DesignerProblems } from './DesignerProblems';
import { fieldLabel } from './labels';
import { MaskInput } from './MaskInput';
import { NameInput } from './NameInput';
import { OptionsEditor } from './OptionsEditor';
import { CheckProp, LocalizedInputs, NumberProp, TextProp } from './PropInputs';

// Properties whose problems show under their own input; the rest show at the top.
const SHOWN: Record<FieldProperty, readonly string[]> = {
  key: ['key'],
  label: ['label'],
  help: ['help'],
  placeholder: ['placeholder'],
  required: ['required'],
  minLength: ['minLength'],
  maxLength: ['maxLength'],
  minimum: ['minimum'],
  maximum: ['maximum'],
  minItems: ['minItems'],
  maxItems: ['maxItems'],
  integer: ['type'],
  pattern: ['pattern'],
  options: ['options'],
  mustCheck: ['const'],
  sensitive: ['sensitive'],
  mask: ['mask'],
  indexed: ['indexed'],
  computed: ['computed'],
};

/**
 * FieldProperties is the property panel of one field or sub-table column: every
 * property the format has for its kind, each input with the server's problems about it.
 */
export function FieldProperties({ found }: { found: FoundField }) {
  const { t, i18n } = useTranslation();
  const { tree, edit, problems, select } = useDesigner();
  const { node, table } = found;
  const id = node.id;
  const meta = isObject(node.meta) ? node.meta : {};
  const schema = isObject(node.schema) ? node.schema : {};
  const props = fieldProperties(node, table !== undefined);
  const has = (p: FieldProperty) => props.includes(p);
  const mine = problems.fields[id] ?? {};
  const shown = new Set(props.flatMap((p) => SHOWN[p]));
  const other = Object.entries(mine).flatMap(([prop, list]) => (shown.has(prop) ? [] : list));
  const pid = (p: string) => `prop-${id}-${p}`;
  const setMeta = (key: string, value: Json | undefined) => edit({ kind: 'setMeta', field: id, key, value });
  const setSchema = (key: string, value: Json | undefined) => edit({ kind: 'setSchema', field: id, key, value });
  const siblings = (table ? table.columns!.nodes : tree.fields).map((f) => f.name);
  const kind = fieldKind(node);
  const label = fieldLabel(node, i18n.language);

  return (
    <div className="field-properties">
      <h3>{table ? t('designer.props.column', { table: fieldLabel(table, i18n.language) }) : t('designer.props.field')}</h3>
      <p className="meta">
        {label} · {t('designer.props.kind', { kind: t(`designer.types.${kind}`) })}
      </p>
      {other.length > 0 ? (
        <div className="notice notice-error">
          <p>{t('designer.props.other')}</p>
          <DesignerProblems id={pid('other-problems')} problems={other} />
        </div>
      ) : null}
      <NameInput
        id={pid('key')}
        label={t('designer.props.key')}
        name={node.name}
        taken={siblings}
        takenText={t('designer.name.taken')}
        onRename={(name) => edit({ kind: 'renameField', field: id, name })}
        problems={mine['key']}
      />
      <LocalizedInputs id={pid('label')} label={t('designer.props.label')} value={meta['label']} onChange={(v) => setMeta('label', v)} problems={mine['label']} />
      <CheckProp
        id={pid('required')}
        label={t('designer.props.required')}
        checked={isRequired(tree, id)}
        onChange={(on) => edit({ kind: 'setRequired', field: id, required: on })}
        problems={mine['required']}
      />
      {has('integer') ? (
        <CheckProp
          id={pid('integer')}
          label={t('designer.props.integer')}
          checked={schema['type'] === 'integer'}
          onChange={(on) => setSchema('type', on ? 'integer' : 'number')}
          problems={mine['type']}
        />
      ) : null}
      {has('mustCheck') ? (
        <CheckProp
          id={pid('const')}
          label={t('designer.props.mustCheck')}
          checked={schema['const'] === true}
          onChange={(on) => setSchema('const', on ? true : undefined)}
          problems={mine['const']}
        />
      ) : null}
      {has('minLength') ? (
        <div className="grid-2">
          <NumberProp id={pid('minLength')} label={t('designer.props.minLength')} value={schema['minLength']} onChange={(v) => setSchema('minLength', v)} problems={mine['minLength']} />
          <NumberProp id={pid('maxLength')} label={t('designer.props.maxLength')} value={schema['maxLength']} onChange={(v) => setSchema('maxLength', v)} problems={mine['maxLength']} />
        </div>
      ) : null}
      {has('minimum') ? (
        <div className="grid-2">
          <NumberProp id={pid('minimum')} label={t('designer.props.minimum')} value={schema['minimum']} onChange={(v) => setSchema('minimum', v)} problems={mine['minimum']} />
          <NumberProp id={pid('maximum')} label={t('designer.props.maximum')} value={schema['maximum']} onChange={(v) => setSchema('maximum', v)} problems={mine['maximum']} />
        </div>
      ) : null}
      {has('minItems') ? (
        <div className="grid-2">
          <NumberProp id={pid('minItems')} label={t('designer.props.minItems')} value={schema['minItems']} onChange={(v) => setSchema('minItems', v)} problems={mine['minItems']} />
          <NumberProp id={pid('maxItems')} label={t('designer.props.maxItems')} value={schema['maxItems']} onChange={(v) => setSchema('maxItems', v)} problems={mine['maxItems']} />
        </div>
      ) : null}
      {has('pattern') ? (
        <TextProp
          id={pid('pattern')}
          label={t('designer.props.pattern')}
          hint={t('designer.props.patternHint')}
          value={schema['pattern']}
          onChange={(v) => setSchema('pattern', v)}
          problems={mine['pattern']}
        />
      ) : null}
      {has('options') ? (
        <OptionsEditor id={pid('options')} options={optionsOf(node)} onChange={(options) => edit({ kind: 'setOptions', field: id, options })} problems={mine['options']} />
      ) : null}
      <LocalizedInputs id={pid('help')} label={t('designer.props.help')} value={meta['help']} onChange={(v) => setMeta('help', v)} problems={mine['help']} multiline />
      <LocalizedInputs id={pid('placeholder')} label={t('designer.props.placeholder')} value={meta['placeholder']} onChange={(v) => setMeta('placeholder', v)} problems={mine['placeholder']} />
      {has('sensitive') ? (
        <CheckProp id={pid('sensitive')} label={t('designer.props.sensitive')} checked={meta['sensitive'] === true} onChange={(on) => setMeta('sensitive', on || undefined)} problems={mine['sensitive']} />
      ) : null}
      {has('mask') ? <MaskInput id={pid('mask')} value={meta['mask']} onChange={(v) => setMeta('mask', v)} problems={mine['mask']} /> : null}
      {has('indexed') ? (
        <CheckProp id={pid('indexed')} label={t('designer.props.indexed')} checked={meta['indexed'] === true} onChange={(on) => setMeta('indexed', on || undefined)} problems={mine['indexed']} />
      ) : null}
      {has('computed') ? (
        <TextProp
          id={pid('computed')}
          label={t('designer.props.computed')}
          hint={t('designer.props.computedHint')}
          value={computedExpr(tree, id)}
          onChange={(v) => edit({ kind: 'setComputed', field: id, expr: v ?? '' })}
          problems={mine['computed']}
          multiline
        />
      ) : null}
      <button
        type="button"
        className="danger"
        onClick={() => {
          edit({ kind: 'removeField', field: id });
          select(table ? { type: 'field', id: table.id } : { type: 'form' });
        }}
      >
        {t('designer.props.removeField', { field: label })}
      </button>
    </div>
  );
}
