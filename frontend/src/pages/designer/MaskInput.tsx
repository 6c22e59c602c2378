import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../../core/api/apiError';
import { isObject } from '../../core/designer/isObject';
import type { Json } from '../../core/designer/types';
import { DesignerProblems } from './DesignerProblems';
import { NumberProp } from './PropInputs';

/** NAMED_MASKS are the masks the server knows by name (schemas/form.schema.json, mask). */
const NAMED_MASKS = ['id_number', 'phone', 'bank_card', 'name', 'email', 'full'] as const;
const NONE = '';
const CUSTOM = 'custom';

/**
 * MaskInput edits how a masked reader sees a field: no mask (all hidden as ***), a named
 * mask, or a number of characters kept in clear at the start and the end.
 *
 * @example
 * <MaskInput id="prop-n3-mask" value={meta.mask} onChange={(m) => setMeta('mask', m)} />
 */
export function MaskInput({ id, value, onChange, problems }: { id: string; value: Json | undefined; onChange: (v: Json | undefined) => void; problems?: readonly FieldProblem[] | undefined }) {
  const { t } = useTranslation();
  const custom = isObject(value);
  const choice = custom ? CUSTOM : typeof value === 'string' ? value : NONE;
  const invalid = (problems?.length ?? 0) > 0;
  return (
    <div className="field">
      <label htmlFor={id}>{t('designer.props.mask')}</label>
      <select
        id={id}
        value={choice}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-problems` : undefined}
        onChange={(e) => {
          const v = e.target.value;
          onChange(v === NONE ? undefined : v === CUSTOM ? { keep_start: 1, keep_end: 1 } : v);
        }}
      >
        <option value={NONE}>{t('designer.props.maskNone')}</option>
        {NAMED_MASKS.map((m) => (
          <option key={m} value={m}>
            {t(`designer.props.masks.${m}`)}
          </option>
        ))}
        {choice !== NONE && choice !== CUSTOM && !(NAMED_MASKS as readonly string[]).includes(choice) ? <option value={choice}>{choice}</option> : null}
        <option value={CUSTOM}>{t('designer.props.maskCustom')}</option>
      </select>
      {custom ? (
        <div className="grid-2">
          <NumberProp id={`${id}-start`} label={t('designer.props.keepStart')} value={value['keep_start']} onChange={(n) => onChange({ ...value, keep_start: n ?? 0 })} />
          <NumberProp id={`${id}-end`} label={t('designer.props.keepEnd')} value={value['keep_end']} onChange={(n) => onChange({ ...value, keep_end: n ?? 0 })} />
        </div>
      ) : null}
      <DesignerProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}
