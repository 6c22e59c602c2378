import { useTranslation } from 'react-i18next';
import type { FormAccess } from '../../core/api/types';
import { localized } from '../../core/forms/localized';

// Record metadata a dashboard may group or filter by, beside the form's fields.
const META = ['_created_at', '_updated_at', '_created_by', '_updated_by'];

/**
 * fieldsListId names the datalist of a form's field names.
 *
 * @example
 * <input list={fieldsListId('loan_application')} />
 */
export function fieldsListId(form: string): string {
  return `dash-fields-${form.replace(/[^a-z0-9_]/g, '')}`;
}

/** FieldLists offers, per form, its field names (labelled) as suggestions for the field inputs. */
export function FieldLists({ forms }: { forms: FormAccess[] }) {
  const { i18n } = useTranslation();
  return (
    <>
      {forms.map((f) => (
        <datalist key={f.form} id={fieldsListId(f.form)}>
          {f.fields.map((x) => (
            <option key={x.name} value={x.name}>
              {localized(x.label, i18n.language, x.name)}
            </option>
          ))}
          {META.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      ))}
    </>
  );
}
