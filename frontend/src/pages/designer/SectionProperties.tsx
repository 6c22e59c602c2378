import { useTranslation } from 'react-i18next';
import { isObject } from '../../core/designer/isObject';
import { sectionKeys } from '../../core/designer/sectionKeys';
import type { SectionNode } from '../../core/designer/types';
import { useDesigner } from './DesignerContext';
import { DesignerProblems } from './DesignerProblems';
import { NameInput } from './NameInput';
import { LocalizedInputs } from './PropInputs';

const COLUMNS = [1, 2, 3, 4] as const;

/** SectionProperties is the property panel of a section: key, title, description and columns. */
export function SectionProperties({ section }: { section: SectionNode }) {
  const { t } = useTranslation();
  const { tree, edit, problems, select } = useDesigner();
  const raw = isObject(section.raw) ? section.raw : {};
  const mine = problems.sections[section.id] ?? {};
  const other = Object.entries(mine).flatMap(([prop, list]) => (['key', 'title', 'description', 'columns'].includes(prop) ? [] : list));
  const pid = (p: string) => `prop-${section.id}-${p}`;
  const columns = typeof raw['columns'] === 'number' ? raw['columns'] : 1;

  return (
    <div className="section-properties">
      <h3>{t('designer.props.section')}</h3>
      {other.length > 0 ? (
        <div className="notice notice-error">
          <p>{t('designer.props.other')}</p>
          <DesignerProblems id={pid('other-problems')} problems={other} />
        </div>
      ) : null}
      <NameInput
        id={pid('key')}
        label={t('designer.props.key')}
        name={typeof raw['key'] === 'string' ? raw['key'] : ''}
        taken={sectionKeys(tree)}
        takenText={t('designer.name.sectionTaken')}
        onRename={(key) => edit({ kind: 'setSection', section: section.id, key: 'key', value: key })}
        problems={mine['key']}
      />
      <LocalizedInputs
        id={pid('title')}
        label={t('designer.props.title')}
        value={raw['title']}
        onChange={(v) => edit({ kind: 'setSection', section: section.id, key: 'title', value: v })}
        problems={mine['title']}
      />
      <LocalizedInputs
        id={pid('description')}
        label={t('designer.props.description')}
        value={raw['description']}
        onChange={(v) => edit({ kind: 'setSection', section: section.id, key: 'description', value: v })}
        problems={mine['description']}
        multiline
      />
      <div className="field">
        <label htmlFor={pid('columns')}>{t('designer.props.columns')}</label>
        <select
          id={pid('columns')}
          value={columns}
          onChange={(e) => edit({ kind: 'setSection', section: section.id, key: 'columns', value: Number(e.target.value) })}
          aria-invalid={mine['columns'] ? true : undefined}
        >
          {COLUMNS.map((n) => (
            <option key={n} value={n}>
              {t('designer.canvas.columns', { count: n })}
            </option>
          ))}
        </select>
        <DesignerProblems id={pid('columns-problems')} problems={mine['columns']} />
      </div>
      <button
        type="button"
        className="danger"
        onClick={() => {
          edit({ kind: 'removeSection', section: section.id });
          select({ type: 'form' });
        }}
      >
        {t('designer.props.removeSection')}
      </button>
    </div>
  );
}
