import { useTranslation } from 'react-i18next';
import { findField } from '../../core/designer/findField';
import { useDesigner } from './DesignerContext';
import { FieldProperties } from './FieldProperties';
import { FormProperties } from './FormProperties';
import { SectionProperties } from './SectionProperties';

/** PropertyPanel shows the properties of what is selected: a field, a section or the form. */
export function PropertyPanel() {
  const { t } = useTranslation();
  const { tree, selection, select } = useDesigner();
  let body = <FormProperties />;
  if (selection.type === 'field') {
    const found = findField(tree, selection.id);
    if (found) body = <FieldProperties key={found.node.id} found={found} />;
  } else if (selection.type === 'section') {
    const section = tree.sections.find((s) => s.id === selection.id);
    if (section) body = <SectionProperties key={section.id} section={section} />;
  }
  return (
    <aside className="designer-panel card" aria-labelledby="designer-panel-title">
      <div className="panel-head">
        <h2 id="designer-panel-title">{t('designer.props.heading')}</h2>
        {selection.type !== 'form' ? (
          <button type="button" className="link" onClick={() => select({ type: 'form' })}>
            {t('designer.props.selectForm')}
          </button>
        ) : null}
      </div>
      {body}
    </aside>
  );
}
