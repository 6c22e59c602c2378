import { asObject } from '../../core/dashdesigner/asObject';
import { setLocaleText } from '../../core/dashdesigner/setLocaleText';
import type { Json } from '../../core/dashdesigner/types';
import { DashInput } from './DashInput';

/**
 * LocalizedInputs edits a text per locale (zh-CN and en; other locales are kept): one
 * input each, the problems of the whole text under them.
 *
 * @example
 * <LocalizedInputs id="w0-title" labels={[t('…titleZh'), t('…titleEn')]} pointer="/widgets/0/title" value={w.title} onChange={…} />
 */
export function LocalizedInputs({ id, labels, pointer, value, onChange }: {
  id: string;
  labels: [string, string];
  pointer: string;
  value: Json | undefined;
  onChange: (v: Json | undefined) => void;
}) {
  const text = asObject(value);
  const str = (k: string) => (typeof text[k] === 'string' ? (text[k] as string) : '');
  return (
    <div className="grid-2">
      <DashInput kind="text" id={`${id}-zh`} label={labels[0]} pointer={pointer} value={str('zh-CN')} onChange={(v) => onChange(setLocaleText(value, 'zh-CN', v))} />
      <DashInput kind="text" id={`${id}-en`} label={labels[1]} pointer={`${pointer}#en`} value={str('en')} onChange={(v) => onChange(setLocaleText(value, 'en', v))} />
    </div>
  );
}
