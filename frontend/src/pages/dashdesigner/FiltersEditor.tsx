import { useTranslation } from 'react-i18next';
import { asList } from '../../core/dashdesigner/asList';
import { asObject } from '../../core/dashdesigner/asObject';
import type { Json } from '../../core/dashdesigner/types';
import { uniqueId } from '../../core/dashdesigner/uniqueId';
import { updateItem } from '../../core/dashdesigner/updateItem';
import { withMember } from '../../core/dashdesigner/withMember';
import { DashInput } from './DashInput';
import { useDashEditor } from './DashEditorContext';
import { fieldsListId } from './FieldLists';
import { LocalizedInputs } from './LocalizedInputs';

const str = (v: Json | undefined) => (typeof v === 'string' ? v : '');

/**
 * FiltersEditor edits the dashboard's own filters — a date range or a choice on a field,
 * set by the viewer for every widget — each with its id, field, kind and label.
 */
export function FiltersEditor() {
  const { t } = useTranslation();
  const { body, edit, forms } = useDashEditor();
  const filters = asList(body['filters']).map(asObject);
  // Suggest the fields of the forms the widgets use.
  const firstForm = str(asObject(asList(body['widgets'])[0])['form']) || forms[0]?.form || '';
  const set = (j: number, key: string) => (v: Json | undefined) =>
    edit((b) => updateItem(b, 'filters', j, (f) => withMember(f, key, v)), `/filters/${j}/${key}`);

  return (
    <section className="dash-filters" aria-labelledby="dash-filters-title">
      <h2 id="dash-filters-title">{t('dashdesigner.filters.title')}</h2>
      <p className="hint">{t('dashdesigner.filters.intro')}</p>
      {filters.length === 0 ? <p className="meta">{t('dashdesigner.filters.none')}</p> : null}
      {filters.map((f, j) => {
        const id = str(f['id']);
        const at = `/filters/${j}`;
        return (
          <fieldset key={j} className="dash-item">
            <legend>{id || `#${j + 1}`}</legend>
            <div className="grid-3">
              <DashInput kind="text" id={`f${j}-id`} label={t('dashdesigner.filters.id')} pointer={`${at}/id`} value={id} onChange={set(j, 'id')} />
              <DashInput kind="text" id={`f${j}-field`} label={t('dashdesigner.filters.field')} pointer={`${at}/field`} list={fieldsListId(firstForm)} value={str(f['field'])} onChange={set(j, 'field')} />
              <DashInput
                kind="select"
                id={`f${j}-kind`}
                label={t('dashdesigner.filters.kind')}
                pointer={`${at}/kind`}
                value={str(f['kind'])}
                options={(['time_range', 'select'] as const).map((k) => ({ value: k, label: t(`dashdesigner.filters.kinds.${k}`) }))}
                onChange={set(j, 'kind')}
              />
            </div>
            <LocalizedInputs id={`f${j}-label`} labels={[t('dashdesigner.filters.labelZh'), t('dashdesigner.filters.labelEn')]} pointer={`${at}/label`} value={f['label']} onChange={set(j, 'label')} />
            <button
              type="button"
              onClick={() => edit((b) => withMember(b, 'filters', filters.length > 1 ? filters.filter((_, k) => k !== j) : undefined), '/filters')}
            >
              {t('dashdesigner.filters.remove', { id: id || `#${j + 1}` })}
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        onClick={() => edit((b) => withMember(b, 'filters', [...filters, { id: uniqueId('filter', filters.map((f) => str(f['id']))), field: '', kind: 'select' }]), '/filters')}
      >
        {t('dashdesigner.filters.add')}
      </button>
    </section>
  );
}
