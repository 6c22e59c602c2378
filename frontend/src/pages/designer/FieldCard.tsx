import { useDroppable, type DraggableAttributes, type DraggableSyntheticListeners } from '@dnd-kit/core';
import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { memo, useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { computedExpr } from '../../core/designer/computedExpr';
import { dragId } from '../../core/designer/dragId';
import { fieldKind } from '../../core/designer/fieldKind';
import { isRequired } from '../../core/designer/isRequired';
import type { FieldNode } from '../../core/designer/types';
import { useActiveDrag } from './ActiveDragContext';
import { useDesigner, type Designer } from './DesignerContext';
import { DRAG_INSTRUCTIONS_ID } from './dragInstructions';
import { fieldLabel } from './labels';
import { sortableStyle } from './sortableStyle';
import { useDropEnabled } from './useDropEnabled';
import { useNearViewport } from './useNearViewport';

/**
 * FieldCard is one field on the canvas: a handle to drag it (or move it with the
 * keyboard), its label to select it, what kind it is, whether it is required or
 * computed, how many problems the server found in it, and a button to remove it. A
 * sub-table shows its columns, which sort among themselves.
 *
 * Only the cards in and near the view are the drag library's sortable items; the others
 * are plain copies, the same to see and to read. Every sortable item renders again
 * whenever a drag starts, measures itself or changes target, four times at the pick-up
 * alone, and the library measures every target (with its scroll parents) twice then: on
 * a 200-field form that made the pick-up one task of over 60 ms. A card becomes sortable
 * as the page scrolls it near or when it takes the focus, and stays so while a drag is on.
 */
export function FieldCard({ node, table }: { node: FieldNode; table?: FieldNode }) {
  const id = table ? dragId.column(node.id) : dragId.field(node.id);
  const { near, ref, onFocus } = useNearViewport(useActiveDrag() !== null);
  return near ? (
    <SortableFieldCard node={node} table={table} id={id} root={ref} />
  ) : (
    <PlainFieldCard node={node} table={table} root={ref} onFocus={onFocus} />
  );
}

interface CardProps {
  node: FieldNode;
  table: FieldNode | undefined;
  root: (el: Element | null) => void;
}

function SortableFieldCard({ node, table, id, root }: CardProps & { id: string }) {
  const designer = useDesigner();
  const enabled = useDropEnabled(table ? { type: 'column', id: node.id } : { type: 'field', id: node.id }, id);
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id,
    disabled: { draggable: false, droppable: !enabled },
  });
  const { classes, content } = cardState(node, table, designer);
  const refs = useCallback(
    (el: HTMLLIElement | null) => {
      setNodeRef(el);
      root(el);
    },
    [setNodeRef, root],
  );

  // Every sortable item renders again whenever the drag's target changes; what it shows
  // does not change then, so the card's content is kept (a 200-field form stays smooth).
  return (
    <li ref={refs} style={sortableStyle(transform, transition ?? undefined, isDragging)} className={classes} data-field={node.name}>
      <FieldCardContent {...content} handle={setActivatorNodeRef} attributes={attributes} listeners={listeners} />
    </li>
  );
}

// What the drag library gives a sortable item's handle, for the plain copies: a screen
// reader hears the same, instructions included.
const plainHandle: DraggableAttributes = {
  role: 'button',
  tabIndex: 0,
  'aria-disabled': false,
  'aria-pressed': undefined,
  'aria-roledescription': 'sortable',
  'aria-describedby': DRAG_INSTRUCTIONS_ID,
};

// Kept across the pick-up and the drop, which render every card's FieldCard again.
const PlainFieldCard = memo(function PlainFieldCard({ node, table, root, onFocus }: CardProps & { onFocus: () => void }) {
  const designer = useDesigner();
  const { classes, content } = cardState(node, table, designer);
  return (
    <li ref={root} onFocus={onFocus} className={classes} data-field={node.name}>
      <FieldCardContent {...content} attributes={plainHandle} />
    </li>
  );
});

/** cardState is a card's classes and what its content shows, the drag handle's parts apart. */
function cardState(
  node: FieldNode,
  table: FieldNode | undefined,
  { selection, problems, tree, edit, select }: Designer,
): { classes: string; content: Omit<ContentProps, 'handle' | 'attributes' | 'listeners'> } {
  const selected = selection.type === 'field' && selection.id === node.id;
  const count = countProblems(problems.fields[node.id]) + (node.columns?.nodes.reduce((n, c) => n + countProblems(problems.fields[c.id]), 0) ?? 0);
  const classes = ['field-card', selected ? 'selected' : '', count > 0 ? 'has-problems' : '', node.columns ? 'is-table' : ''].filter(Boolean).join(' ');
  return { classes, content: { node, table, tree, selected, count, edit, select } };
}

interface ContentProps {
  node: FieldNode;
  table: FieldNode | undefined;
  tree: Designer['tree'];
  selected: boolean;
  count: number;
  handle?: (el: HTMLElement | null) => void;
  attributes: DraggableAttributes;
  listeners?: DraggableSyntheticListeners;
  edit: Designer['edit'];
  select: Designer['select'];
}

const FieldCardContent = memo(function FieldCardContent({ node, table, tree, selected, count, handle, attributes, listeners, edit, select }: ContentProps) {
  const { t, i18n } = useTranslation();
  const label = fieldLabel(node, i18n.language);
  const facts = [
    t(`designer.types.${fieldKind(node)}`),
    isRequired(tree, node.id) ? t('designer.canvas.required') : '',
    !table && computedExpr(tree, node.id) ? t('designer.canvas.computed') : '',
  ].filter(Boolean);
  return (
    <>
      <div className="card-row">
        <button type="button" className="drag-handle" ref={handle} {...attributes} {...listeners} aria-label={t('designer.canvas.move', { item: label })}>
          ⠿
        </button>
        <button type="button" className="card-select" aria-pressed={selected} aria-describedby={`card-${node.id}-facts`} onClick={() => select({ type: 'field', id: node.id })}>
          {label}
        </button>
        <button
          type="button"
          className="card-remove"
          aria-label={t('designer.canvas.remove', { item: label })}
          onClick={() => {
            edit({ kind: 'removeField', field: node.id });
            if (selected) select(table ? { type: 'field', id: table.id } : { type: 'form' });
          }}
        >
          ×
        </button>
      </div>
      <p className="card-facts" id={`card-${node.id}-facts`}>
        <code>{node.name}</code> · {facts.join(' · ')}
        {count > 0 ? <span className="problem"> · {t('designer.canvas.problems', { count })}</span> : null}
      </p>
      {node.columns ? <TableColumns table={node} /> : null}
    </>
  );
});

function TableColumns({ table }: { table: FieldNode }) {
  const { t, i18n } = useTranslation();
  const id = dragId.table(table.id);
  const enabled = useDropEnabled({ type: 'table', id: table.id }, id);
  const { setNodeRef, isOver } = useDroppable({ id, disabled: !enabled });
  const columns = table.columns?.nodes ?? [];
  return (
    <div ref={setNodeRef} className={isOver ? 'table-columns over' : 'table-columns'}>
      <SortableContext id={id} items={columns.map((c) => dragId.column(c.id))} strategy={verticalListSortingStrategy}>
        <ul aria-label={t('designer.canvas.tableColumns', { table: fieldLabel(table, i18n.language) })}>
          {columns.map((c) => (
            <FieldCard key={c.id} node={c} table={table} />
          ))}
        </ul>
      </SortableContext>
      {columns.length === 0 ? <p className="drop-hint">{t('designer.canvas.dropColumn')}</p> : null}
    </div>
  );
}

function countProblems(byProp: Record<string, unknown[]> | undefined): number {
  return byProp ? Object.values(byProp).reduce((n, l) => n + l.length, 0) : 0;
}
