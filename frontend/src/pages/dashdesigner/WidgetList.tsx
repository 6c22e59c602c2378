import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asList } from '../../core/dashdesigner/asList';
import { asObject } from '../../core/dashdesigner/asObject';
import { newWidget } from '../../core/dashdesigner/newWidget';
import { WIDGET_TYPES, type JsonObject, type WidgetType } from '../../core/dashdesigner/types';
import { widgetIds } from '../../core/dashdesigner/widgetIds';
import { withMember } from '../../core/dashdesigner/withMember';
import { moveItem } from '../../core/designer/moveItem';
import { localized } from '../../core/forms/localized';
import { useDashEditor } from './DashEditorContext';
import { DashProblems } from './DashProblems';
import { useWidgetWords } from './useWidgetWords';
import { WidgetEditor } from './WidgetEditor';
import { WidgetPreview } from './WidgetPreview';

/**
 * WidgetList lists the dashboard's widgets in order — each with its problem count, moved
 * up or down, removed after confirmation, opened for editing or previewed — and adds new
 * ones of a chosen type over a chosen form.
 */
export function WidgetList({ dashboard, published }: { dashboard: string; published: { version: number; body: JsonObject } | undefined }) {
  const { t, i18n } = useTranslation();
  const { body, edit, problemsAt, problemsUnder, forms } = useDashEditor();
  const words = useWidgetWords();
  const widgets = asList(body['widgets']).map(asObject);
  const [open, setOpen] = useState<string | null>(null);
  const [previews, setPreviews] = useState<ReadonlySet<string>>(new Set());
  const [type, setType] = useState<WidgetType>('bar');
  const [form, setForm] = useState('');
  const lang = i18n.language;
  const chosenForm = form || forms[0]?.form || '';

  const add = () => {
    const w = newWidget(type, chosenForm, widgetIds(body), words);
    edit((b) => withMember(b, 'widgets', [...asList(b['widgets']), w]), '/widgets');
    setOpen(String(w['id']));
  };

  return (
    <section className="dash-widgets" aria-labelledby="dash-widgets-title">
      <h2 id="dash-widgets-title">{t('dashdesigner.widgets.title')}</h2>
      <DashProblems id="dash-widgets-problems" problems={problemsAt('/widgets')} />
      <ol className="widget-list">
        {widgets.map((w, i) => {
          const id = String(w['id'] ?? '');
          const key = `${i}:${id}`;
          const title = localized(asObject(w['title']) as Record<string, string>, lang, id || `#${i + 1}`);
          const count = problemsUnder(`/widgets/${i}`);
          const isOpen = open === id || open === key;
          const previewing = previews.has(key);
          return (
            <li key={key} className={count > 0 ? 'card widget-card has-problems' : 'card widget-card'}>
              <div className="card-row">
                <h3>
                  {title} <span className="meta">· {t(`dashdesigner.widget.types.${(WIDGET_TYPES as readonly string[]).includes(String(w['type'])) ? (w['type'] as WidgetType) : 'kpi'}`)} · <code>{id}</code></span>
                  {count > 0 ? <span className="problem"> · {t('dashdesigner.widgets.problems', { count })}</span> : null}
                </h3>
                <button type="button" aria-expanded={isOpen} onClick={() => setOpen(isOpen ? null : key)}>
                  {isOpen ? t('dashdesigner.widgets.close', { title }) : t('dashdesigner.widgets.edit', { title })}
                </button>
                <button type="button" aria-pressed={previewing} onClick={() => setPreviews((s) => toggle(s, key))}>
                  {previewing ? t('dashdesigner.preview.hide') : t('dashdesigner.preview.show')}
                </button>
                <button type="button" disabled={i === 0} onClick={() => edit((b) => withMember(b, 'widgets', moveItem(asList(b['widgets']), i, i - 1)))} aria-label={t('dashdesigner.widgets.up', { title })}>
                  ↑
                </button>
                <button
                  type="button"
                  disabled={i === widgets.length - 1}
                  onClick={() => edit((b) => withMember(b, 'widgets', moveItem(asList(b['widgets']), i, i + 1)))}
                  aria-label={t('dashdesigner.widgets.down', { title })}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="card-remove"
                  onClick={() => {
                    if (window.confirm(t('dashdesigner.widgets.removeConfirm', { title }))) edit((b) => withMember(b, 'widgets', asList(b['widgets']).filter((_, j) => j !== i)));
                  }}
                  aria-label={t('dashdesigner.widgets.remove', { title })}
                >
                  ×
                </button>
              </div>
              <DashProblems id={`w${i}-problems`} problems={problemsAt(`/widgets/${i}`)} />
              {isOpen ? <WidgetEditor index={i} /> : null}
              {previewing ? <WidgetPreview dashboard={dashboard} widget={w} published={published} /> : null}
            </li>
          );
        })}
      </ol>
      <div className="toolbar dash-add" role="group" aria-label={t('dashdesigner.widgets.add')}>
        <label className="inline">
          <span>{t('dashdesigner.widgets.addType')}</span>
          <select value={type} onChange={(e) => setType(e.target.value as WidgetType)}>
            {WIDGET_TYPES.map((x) => (
              <option key={x} value={x}>
                {t(`dashdesigner.widget.types.${x}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <span>{t('dashdesigner.widgets.addForm')}</span>
          <select value={chosenForm} onChange={(e) => setForm(e.target.value)}>
            {forms.map((f) => (
              <option key={f.form} value={f.form}>
                {localized(f.title, lang, f.form)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={add}>
          {t('dashdesigner.widgets.add')}
        </button>
      </div>
    </section>
  );
}

function toggle(s: ReadonlySet<string>, key: string): Set<string> {
  const out = new Set(s);
  if (out.has(key)) out.delete(key);
  else out.add(key);
  return out;
}
