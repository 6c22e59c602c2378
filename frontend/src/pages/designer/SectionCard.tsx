import { useDroppable } from '@dnd-kit/core';
import { rectSortingStrategy, SortableContext, useSortable } from '@dnd-kit/sortable';
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { dragId } from '../../core/designer/dragId';
import { isObject } from '../../core/designer/isObject';
import type { FieldNode, SectionNode } from '../../core/designer/types';
import { useDesigner, type Designer } from './DesignerContext';
import { FieldCard } from './FieldCard';
import { sectionTitle } from './labels';
import { sortableStyle } from './sortableStyle';
import { useDropEnabled } from './useDropEnabled';

/**
 * SectionCard is one section on the canvas: a handle to move it among the sections, its
 * title to select it, its fields in its columns (sortable, and a drop zone for fields
 * from elsewhere), and names it places that are no field of the form.
 */
export function SectionCard({ section }: { section: SectionNode }) {
  const { tree, edit, selection, select, problems } = useDesigner();
  const id = dragId.section(section.id);
  const enabled = useDropEnabled({ type: 'section', id: section.id }, id);
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id,
    disabled: { draggable: false, droppable: !enabled },
  });
  const zoneId = dragId.zone(section.id);
  const zoneEnabled = useDropEnabled({ type: 'zone', section: section.id }, zoneId);
  const zone = useDroppable({ id: zoneId, disabled: !zoneEnabled });
  const selected = selection.type === 'section' && selection.id === section.id;
  const count = Object.values(problems.sections[section.id] ?? {}).reduce((n, l) => n + l.length, 0);
  const classes = ['section-card', 'card', selected ? 'selected' : '', count > 0 ? 'has-problems' : ''].filter(Boolean).join(' ');

  // Like a field card, the section renders again whenever the drag's target changes; its
  // head and its list of fields do not change then, so they are kept.
  return (
    <li ref={setNodeRef} style={sortableStyle(transform, transition ?? undefined, isDragging)} className={classes}>
      <SectionHead
        section={section}
        selected={selected}
        count={count}
        handle={setActivatorNodeRef}
        attributes={attributes}
        listeners={listeners}
        edit={edit}
        select={select}
      />
      <div ref={zone.setNodeRef} className={zone.isOver ? 'section-zone over' : 'section-zone'}>
        <SectionFields section={section} fields={tree.fields} edit={edit} />
      </div>
    </li>
  );
}

interface HeadProps {
  section: SectionNode;
  selected: boolean;
  count: number;
  handle: (el: HTMLElement | null) => void;
  attributes: ReturnType<typeof useSortable>['attributes'];
  listeners: ReturnType<typeof useSortable>['listeners'];
  edit: Designer['edit'];
  select: Designer['select'];
}

const SectionHead = memo(function SectionHead({ section, selected, count, handle, attributes, listeners, edit, select }: HeadProps) {
  const { t, i18n } = useTranslation();
  const title = sectionTitle(section, i18n.language, t('designer.defaults.untitled'));
  return (
    <div className="card-row section-head">
      <button type="button" className="drag-handle" ref={handle} {...attributes} {...listeners} aria-label={t('designer.canvas.moveSection', { item: title })}>
        ⠿
      </button>
      <h3>
        <button type="button" className="card-select" aria-pressed={selected} onClick={() => select({ type: 'section', id: section.id })}>
          {title}
        </button>
      </h3>
      <span className="meta">{t('designer.canvas.columns', { count: columnsOf(section) })}</span>
      {count > 0 ? <span className="problem">{t('designer.canvas.problems', { count })}</span> : null}
      <button
        type="button"
        className="card-remove"
        aria-label={t('designer.canvas.removeSection', { item: title })}
        onClick={() => {
          edit({ kind: 'removeSection', section: section.id });
          if (selected) select({ type: 'form' });
        }}
      >
        ×
      </button>
    </div>
  );
});

const SectionFields = memo(function SectionFields({ section, fields, edit }: { section: SectionNode; fields: FieldNode[]; edit: Designer['edit'] }) {
  const { t, i18n } = useTranslation();
  const title = sectionTitle(section, i18n.language, t('designer.defaults.untitled'));
  const columns = columnsOf(section);
  const byName = useMemo(() => new Map(fields.map((f) => [f.name, f])), [fields]);
  const items: Array<{ key: string; node?: FieldNode; text: string; index: number }> = useMemo(
    () =>
      (section.items ?? []).map((name, index) => {
        const node = typeof name === 'string' ? byName.get(name) : undefined;
        return node ? { key: node.id, node, text: node.name, index } : { key: `ref-${index}`, text: typeof name === 'string' ? name : JSON.stringify(name), index };
      }),
    [section.items, byName],
  );
  const sortable = useMemo(() => items.flatMap((i) => (i.node ? [dragId.field(i.node.id)] : [])), [items]);
  // The list is named after the zone its fields lie in: designerCollision looks there.
  return (
    <>
      <SortableContext id={dragId.zone(section.id)} items={sortable} strategy={rectSortingStrategy}>
        <ul className="section-fields" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }} aria-label={t('designer.canvas.fieldsOf', { section: title })}>
          {items.map((i) =>
            i.node ? (
              <FieldCard key={i.key} node={i.node} />
            ) : (
              <li key={i.key} className="field-card unknown-ref">
                {t('designer.canvas.unknownRef', { name: i.text })}
                <button
                  type="button"
                  className="card-remove"
                  aria-label={t('designer.canvas.remove', { item: i.text })}
                  onClick={() => edit({ kind: 'removeSectionItem', section: section.id, index: i.index })}
                >
                  ×
                </button>
              </li>
            ),
          )}
        </ul>
      </SortableContext>
      {items.length === 0 ? <p className="drop-hint">{t('designer.canvas.empty')}</p> : null}
    </>
  );
});

/** columnsOf is how many columns a section lays its fields out in (1 to 4). */
function columnsOf(section: SectionNode): number {
  const raw = isObject(section.raw) ? section.raw : {};
  return typeof raw['columns'] === 'number' && raw['columns'] >= 1 && raw['columns'] <= 4 ? raw['columns'] : 1;
}
