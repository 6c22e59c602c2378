import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type DragStartEvent,
  type KeyboardSensorOptions,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { useCallback, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Edit } from '../../core/designer/applyEdit';
import { dragId } from '../../core/designer/dragId';
import { dropEdit, type DropMakers } from '../../core/designer/dropEdit';
import { findField } from '../../core/designer/findField';
import { ActiveDragProvider } from './ActiveDragContext';
import { useDesigner } from './DesignerContext';
import { designerCollision } from './designerCollision';
import { DRAG_INSTRUCTIONS_ID } from './dragInstructions';
import { FramePointerSensor, type FramePointerSensorOptions } from './FramePointerSensor';
import { keyboardCoordinates } from './keyboardCoordinates';
import { fieldLabel, sectionTitle } from './labels';
import { pickupChip } from './pickupChip';

const keyboardOptions: KeyboardSensorOptions = { coordinateGetter: keyboardCoordinates };

/**
 * DesignerDnd is the drag-and-drop of one designer: pointer and keyboard sensors (Space
 * or Enter picks up, arrows move, Space or Enter drops, Escape cancels), targets chosen
 * among those that accept the dragged thing, what a screen reader hears in the person's
 * language, and the edit a drop makes.
 */
export function DesignerDnd({ make, onEdit, children }: { make: DropMakers; onEdit: (edit: Edit) => void; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { tree } = useDesigner();
  const [active, setActive] = useState<string | null>(null);
  // Fields and sections move in place; a palette item stays in the palette and a chip follows the pointer.
  const chipLabel = useCallback(
    (id: UniqueIdentifier): string | null => {
      const target = dragId.parse(id);
      return target?.type === 'palette' ? t(`designer.types.${target.kind}`) : null;
    },
    [t],
  );
  // Fixed but for the language: new options would give every draggable new listeners when
  // a drag starts, and each card on the canvas would render its content again.
  const pointerOptions = useMemo<FramePointerSensorOptions>(() => ({ activationConstraint: { distance: 5 }, chip: chipLabel }), [chipLabel]);
  const chip = active === null ? null : chipLabel(active);
  const sensors = useSensors(
    useSensor(FramePointerSensor, pointerOptions),
    useSensor(KeyboardSensor, keyboardOptions),
  );

  const nameOf = (id: UniqueIdentifier | undefined): string => {
    const target = id === undefined ? null : dragId.parse(id);
    if (!target) return '';
    switch (target.type) {
      case 'palette':
        return t(`designer.types.${target.kind}`);
      case 'field':
      case 'column':
      case 'table': {
        const found = findField(tree, target.id);
        return found ? fieldLabel(found.node, i18n.language) : '';
      }
      case 'section': {
        const s = tree.sections.find((x) => x.id === target.id);
        return s ? sectionTitle(s, i18n.language, t('designer.defaults.untitled')) : '';
      }
      case 'zone': {
        const s = tree.sections.find((x) => x.id === target.section);
        return s ? sectionTitle(s, i18n.language, t('designer.defaults.untitled')) : '';
      }
      case 'loose':
        return t('designer.dnd.loose');
      case 'end':
        return t('designer.dnd.end');
    }
  };

  const announcements: Announcements = {
    onDragStart: ({ active: a }) => t('designer.dnd.picked', { item: nameOf(a.id) }),
    onDragOver: ({ active: a, over }) =>
      over ? t('designer.dnd.over', { item: nameOf(a.id), target: nameOf(over.id) }) : t('designer.dnd.outside', { item: nameOf(a.id) }),
    onDragEnd: ({ active: a, over }) =>
      over ? t('designer.dnd.dropped', { item: nameOf(a.id), target: nameOf(over.id) }) : t('designer.dnd.droppedNowhere', { item: nameOf(a.id) }),
    onDragCancel: ({ active: a }) => t('designer.dnd.cancelled', { item: nameOf(a.id) }),
  };

  const onDragStart = (e: DragStartEvent) => setActive(String(e.active.id));
  const onDragEnd = (e: DragEndEvent) => {
    setActive(null);
    const moved = e.active.rect.current.translated;
    const target = e.over?.rect;
    let after = false;
    if (moved && target) {
      const dy = moved.top + moved.height / 2 - (target.top + target.height / 2);
      const dx = moved.left + moved.width / 2 - (target.left + target.width / 2);
      after = Math.abs(dy) > target.height / 4 ? dy > 0 : dx > 0;
    }
    const edit = dropEdit(tree, String(e.active.id), e.over ? String(e.over.id) : null, { after }, make);
    if (edit) onEdit(edit);
  };

  return (
    <DndContext
      id={DRAG_INSTRUCTIONS_ID}
      sensors={sensors}
      collisionDetection={designerCollision}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setActive(null)}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t('designer.dnd.instructions') } }}
    >
      <ActiveDragProvider value={active}>{children}</ActiveDragProvider>
      {chip !== null ? (
        <DragOverlay dropAnimation={null}>
          <OverlayChip label={chip} />
        </DragOverlay>
      ) : null}
    </DndContext>
  );
}

/** OverlayChip is the drag library's chip; it takes the place of the one the pick-up drew, in the same frame. */
function OverlayChip({ label }: { label: string }) {
  useLayoutEffect(() => pickupChip.remove(), []);
  return <div className="drag-chip">{label}</div>;
}
