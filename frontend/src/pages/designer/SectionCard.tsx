import { useDroppable } from '@dnd-kit/core';
import { rectSortingStrategy, SortableContext, useSortable } from '@dnd-kit/sortable';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { dragId } from '../../core/designer/dragId';
import { isObject } from '../../core/designer/isObject';
import type { FieldNode, SectionNode } from '../../core/designer/types';
import { useDesigner } from './DesignerContext';
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
  const { t, i18n } = useTranslation();
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
  const raw = isObject(section.raw) ? section.raw : {};
  const columns = typeof raw['columns'] === 'number' && raw['columns'] >= 1 && raw['columns'] <= 4 ? raw['columns'] : 1;
  const title = sectionTitle(section, i18n.language, t('designer.defaults.untitled'));
  const selected = selection.type === 'section' && selection.id === section.id;
  // Kept between the renders a drag makes on every move: the tree does not change then.
  const byName = useMemo(() => new Map(tree.fields.map((f) => [f.name, f])), [tree.fields]);
  const items: Array<{ key: string; node?: FieldNode; text: string; index: number }> = useMemo(
    () =>
      (section.items ?? []).map((name, index) => {
        const node = typeof name === 'string' ? byName.get(name) : undefined;
        return node ? { key: node.id, node, text: node.name, index } : { key: `ref-${index}`, text: typeof name === 'string' ? name : JSON.stringify(name), index };
      }),
    [section.items, byName],
  );
  const sortable = useMemo(() => items.flatMap((i) => (i.node ? [dragId.field(i.node.id)] : [])), [items]);
  const count = Object.values(problems.sections[section.id] ?? {}).reduce((n, l) => n + l.length, 0);
  const classes = ['section-card', 'card', selected ? 'selected' : '', count > 0 ? 'has-problems' : ''].filter(Boolean).join(' ');

  return (
    <li ref={setNodeRef} style={sortableStyle(transform, transition ?? undefined, isDragging)} className={classes}>
      <div className="card-row section-head">
        <button type="button" className="drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={t('designer.canvas.moveSection', { item: title })}>
          ⠿
        </button>
        <h3>
          <button type="button" className="card-select" aria-pressed={selected} onClick={() => select({ type: 'section', id: section.id })}>
            {title}
          </button>
        </h3>
        <span className="meta">{t('designer.canvas.columns', { count: columns })}</span>
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
      <div ref={zone.setNodeRef} className={zone.isOver ? 'section-zone over' : 'section-zone'}>
        <SortableContext items={sortable} strategy={rectSortingStrategy}>
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
      </div>
    </li>
  );
}
