import { useDraggable, type DraggableAttributes, type DraggableSyntheticListeners } from '@dnd-kit/core';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { dragId } from '../../core/designer/dragId';
import { FIELD_TYPES, LAYOUT_TYPES, type FieldType, type FieldTypeId, type LayoutTypeId } from '../../core/designer/fieldTypes';

const GROUPS: ReadonlyArray<FieldType['group']> = ['basic', 'choice', 'lending', 'structure'];

/**
 * Palette offers every kind of field and layout element: drag one by its handle onto the
 * form (mouse, touch or keyboard), or press its button to add it after what is
 * selected.
 */
export function Palette({ onAdd }: { onAdd: (kind: FieldTypeId | LayoutTypeId) => void }) {
  const { t } = useTranslation();
  return (
    <aside className="designer-palette card" aria-labelledby="designer-palette-title">
      <h2 id="designer-palette-title">{t('designer.palette.title')}</h2>
      <p className="hint">{t('designer.palette.hint')}</p>
      {GROUPS.map((g) => (
        <section key={g} aria-label={t(`designer.palette.groups.${g}`)}>
          <h3>{t(`designer.palette.groups.${g}`)}</h3>
          <ul className="palette-list">
            {FIELD_TYPES.filter((f) => f.group === g).map((f) => (
              <PaletteItem key={f.id} kind={f.id} onAdd={onAdd} />
            ))}
          </ul>
        </section>
      ))}
      <section aria-label={t('designer.palette.groups.layout')}>
        <h3>{t('designer.palette.groups.layout')}</h3>
        <ul className="palette-list">
          {LAYOUT_TYPES.map((l) => (
            <PaletteItem key={l} kind={l} onAdd={onAdd} />
          ))}
        </ul>
      </section>
    </aside>
  );
}

function PaletteItem({ kind, onAdd }: { kind: FieldTypeId | LayoutTypeId; onAdd: (kind: FieldTypeId | LayoutTypeId) => void }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({ id: dragId.palette(kind) });
  // Every draggable renders again at each step of a pick-up; its buttons stay as they are.
  return (
    <li ref={setNodeRef} className={isDragging ? 'palette-item dragging' : 'palette-item'}>
      <PaletteButtons kind={kind} onAdd={onAdd} handle={setActivatorNodeRef} attributes={attributes} listeners={listeners} />
    </li>
  );
}

interface ButtonsProps {
  kind: FieldTypeId | LayoutTypeId;
  onAdd: (kind: FieldTypeId | LayoutTypeId) => void;
  handle: (el: HTMLElement | null) => void;
  attributes: DraggableAttributes;
  listeners: DraggableSyntheticListeners;
}

const PaletteButtons = memo(function PaletteButtons({ kind, onAdd, handle, attributes, listeners }: ButtonsProps) {
  const { t } = useTranslation();
  const name = t(`designer.types.${kind}`);
  return (
    <>
      <button type="button" className="drag-handle" ref={handle} {...attributes} {...listeners} aria-label={t('designer.palette.drag', { type: name })}>
        ⠿
      </button>
      <button type="button" className="palette-add" onClick={() => onAdd(kind)} aria-label={t('designer.palette.add', { type: name })}>
        {name}
      </button>
    </>
  );
});
