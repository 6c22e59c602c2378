import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldInput } from '../../components/FieldInput';
import type { Localized } from '../../core/api/types';
import { computedExpr } from '../../core/designer/computedExpr';
import { fieldKind } from '../../core/designer/fieldKind';
import { isObject } from '../../core/designer/isObject';
import { isRequired } from '../../core/designer/isRequired';
import { previewColumn } from '../../core/designer/previewColumn';
import type { FieldNode } from '../../core/designer/types';
import type { Column } from '../../core/forms/columns';
import type { InputValue } from '../../core/forms/inputValue';
import { localized } from '../../core/forms/localized';
import { useDesigner } from './DesignerContext';
import { fieldLabel, sectionTitle } from './labels';

/**
 * Preview shows the form as a person filling it in sees it, with the same inputs the
 * record pages use: sections with their titles and columns, required fields marked,
 * help under each field, sub-tables with rows to add; computed and automated fields are
 * shown as what fills them. What is typed here is not kept.
 */
export function Preview() {
  const { t, i18n } = useTranslation();
  const { tree } = useDesigner();
  const lang = i18n.language;
  const byName = new Map(tree.fields.map((f) => [f.name, f]));
  const placed = new Set(tree.sections.flatMap((s) => s.items ?? []));
  const loose = tree.fields.filter((f) => !placed.has(f.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
  const title = localized(isObject(tree.rest['title']) ? (tree.rest['title'] as Localized) : undefined, lang, String(tree.rest['key'] ?? ''));

  return (
    <div className="designer-preview card" role="region" aria-label={t('designer.preview.label')}>
      <p className="hint">{t('designer.preview.intro')}</p>
      <h2>{title}</h2>
      {tree.sections.map((s) => {
        const raw = isObject(s.raw) ? s.raw : {};
        const columns = typeof raw['columns'] === 'number' ? raw['columns'] : 1;
        const fields = (s.items ?? []).flatMap((n) => (typeof n === 'string' && byName.has(n) ? [byName.get(n)!] : []));
        return (
          <fieldset key={s.id} className="preview-section">
            <legend>{sectionTitle(s, lang, t('designer.defaults.untitled'))}</legend>
            {isObject(raw['description']) ? <p className="hint">{localized(raw['description'] as Localized, lang, '')}</p> : null}
            <div className="preview-grid" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
              {fields.map((f) => (
                <PreviewField key={f.id} node={f} />
              ))}
            </div>
          </fieldset>
        );
      })}
      {loose.length > 0 ? (
        <div className="preview-grid">
          {loose.map((f) => (
            <PreviewField key={f.id} node={f} />
          ))}
        </div>
      ) : null}
    </div>
  );
}

function PreviewField({ node, table, row = '' }: { node: FieldNode; table?: FieldNode; row?: string }) {
  const { t, i18n } = useTranslation();
  const { tree } = useDesigner();
  const [value, setValue] = useState<InputValue>('');
  const lang = i18n.language;
  const id = `preview-${node.id}${row}`;
  const required = isRequired(tree, node.id);
  const meta = isObject(node.meta) ? node.meta : {};
  const help = isObject(meta['help']) ? localized(meta['help'] as Localized, lang, '') : '';
  const label = fieldLabel(node, lang) + (required ? ' *' : '');
  const kind = fieldKind(node);
  const hint = help ? <small className="hint">{help}</small> : null;

  if (node.columns) return <PreviewTable node={node} label={label} hint={hint} />;
  if ((!table && computedExpr(tree, node.id)) || kind === 'decision') {
    return (
      <div className="field">
        <span className="label">{label}</span>
        <p className="meta">{kind === 'decision' ? t('designer.preview.decision') : t('designer.preview.computed')}</p>
        {hint}
      </div>
    );
  }
  if (kind === 'attachment') {
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input id={id} type="file" multiple />
        {hint}
      </div>
    );
  }
  const column: Column = { ...previewColumn(node), label: { [lang]: label } };
  return (
    <div className="preview-field">
      <FieldInput id={id} column={column} value={value} onChange={setValue} paths={[]} />
      {hint}
    </div>
  );
}

function PreviewTable({ node, label, hint }: { node: FieldNode; label: string; hint: ReactNode }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState(1);
  const columns = node.columns?.nodes ?? [];
  return (
    <fieldset className="preview-table">
      <legend>{label}</legend>
      {hint}
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="preview-row" role="group" aria-label={t('designer.preview.row', { n: r + 1 })}>
          {columns.map((c) => (
            <PreviewField key={c.id} node={c} table={node} row={`-${r}`} />
          ))}
          {rows > 1 ? (
            <button type="button" onClick={() => setRows(rows - 1)} aria-label={t('designer.preview.removeRow', { n: r + 1 })}>
              ×
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" onClick={() => setRows(rows + 1)}>
        {t('designer.preview.addRow')}
      </button>
    </fieldset>
  );
}
