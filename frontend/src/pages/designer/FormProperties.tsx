import { useTranslation } from 'react-i18next';
import { useDesigner } from './DesignerContext';
import { DesignerProblems } from './DesignerProblems';
import { LocalizedInputs } from './PropInputs';

/** FormProperties is the property panel of the form itself: its key, title and description, and problems placed nowhere else. */
export function FormProperties() {
  const { t } = useTranslation();
  const { tree, edit, problems } = useDesigner();
  const key = typeof tree.rest['key'] === 'string' ? tree.rest['key'] : '';
  const other = Object.entries(problems.form).flatMap(([prop, list]) => (['title', 'description'].includes(prop) ? [] : list));
  return (
    <div className="form-properties">
      <h3>{t('designer.props.form')}</h3>
      {other.length > 0 ? (
        <div className="notice notice-error">
          <p>{t('designer.props.formProblems')}</p>
          <DesignerProblems id="prop-form-other-problems" problems={other} />
        </div>
      ) : null}
      <p className="meta">
        {t('designer.props.formKey')} <code>{key}</code>
      </p>
      <LocalizedInputs id="prop-form-title" label={t('designer.props.title')} value={tree.rest['title']} onChange={(v) => edit({ kind: 'setForm', key: 'title', value: v })} problems={problems.form['title']} />
      <LocalizedInputs
        id="prop-form-description"
        label={t('designer.props.description')}
        value={tree.rest['description']}
        onChange={(v) => edit({ kind: 'setForm', key: 'description', value: v })}
        problems={problems.form['description']}
        multiline
      />
    </div>
  );
}
