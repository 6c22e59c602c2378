import { useState, type ReactNode } from 'react';
import { CheckInput, invalidAttrs, LocalizedInput, TextInput } from '../../components/inputs/LabelledInputs';
import type { FieldProblem } from '../../core/api/apiError';
import type { Json } from '../../core/designer/types';
import { DesignerProblems } from './DesignerProblems';

// The form designer's labelled inputs: the shared ones, with the designer's words for
// the server's problems.

export { LOCALES } from '../../components/inputs/LabelledInputs';

interface PropProps {
  id: string;
  problems?: readonly FieldProblem[] | undefined;
}

/**
 * LocalizedInputs edits a localized text: one input per locale (zh-CN, en); other
 * locales the text has are kept. An emptied locale is removed, an emptied text is
 * undefined.
 *
 * @example
 * <LocalizedInputs id="prop-n3-label" label={t('designer.props.label')} value={meta.label} onChange={(v) => setMeta('label', v)} />
 */
export function LocalizedInputs(props: PropProps & { label: string; value: Json | undefined; onChange: (v: Json | undefined) => void; multiline?: boolean }) {
  return <LocalizedInput {...props} problemsAs={DesignerProblems} />;
}

/**
 * TextProp edits one text property; an emptied input removes it.
 *
 * @example
 * <TextProp id="prop-n3-pattern" label={t('designer.props.pattern')} value={schema.pattern} onChange={(v) => setSchema('pattern', v)} />
 */
export function TextProp(props: PropProps & { label: string; value: Json | undefined; onChange: (v: string | undefined) => void; hint?: string; multiline?: boolean }) {
  return <TextInput {...props} code problemsAs={DesignerProblems} />;
}

/**
 * NumberProp edits a number property (a bound, a length, a count). An emptied input
 * removes it; what is not a number is kept as typed, so the server names the problem
 * on this very input.
 *
 * @example
 * <NumberProp id="prop-n3-maxLength" label={t('designer.props.maxLength')} value={schema.maxLength} onChange={(v) => setSchema('maxLength', v)} />
 */
export function NumberProp({ id, label, value, onChange, problems }: PropProps & { label: string; value: Json | undefined; onChange: (v: Json | undefined) => void }) {
  const [typed, setTyped] = useState<string | null>(null);
  const shown = typed ?? (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        value={shown}
        onChange={(e) => {
          const s = e.target.value;
          setTyped(s);
          const n = Number(s);
          onChange(s.trim() === '' ? undefined : Number.isFinite(n) ? n : s);
        }}
        onBlur={() => setTyped(null)}
        {...invalidAttrs(id, problems)}
      />
      <DesignerProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

/**
 * CheckProp edits a yes/no property.
 *
 * @example
 * <CheckProp id="prop-n3-indexed" label={t('designer.props.indexed')} checked={meta.indexed === true} onChange={(on) => setMeta('indexed', on || undefined)} />
 */
export function CheckProp(props: PropProps & { label: ReactNode; checked: boolean; onChange: (on: boolean) => void }) {
  return <CheckInput {...props} problemsAs={DesignerProblems} />;
}
