import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { dragId } from '../../core/designer/dragId';
import { useDesigner } from './DesignerContext';
import { FieldCard } from './FieldCard';
import { SectionCard } from './SectionCard';
import { useDropEnabled } from './useDropEnabled';

/**
 * Canvas is the form being designed: its sections in order, each with its fields; a
 * place at the end to drop a new section; and the fields no section places (the form
 * shows those after the sections, by key).
 */
export function Canvas() {
  const { t } = useTranslation();
  const { tree } = useDesigner();
  const placed = new Set(tree.sections.flatMap((s) => s.items ?? []));
  const loose = tree.fields.filter((f) => !placed.has(f.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  return (
    <div className="designer-canvas" role="region" aria-label={t('designer.canvas.label')}>
      <SortableContext items={tree.sections.map((s) => dragId.section(s.id))} strategy={verticalListSortingStrategy}>
        <ol className="sections">
          {tree.sections.map((s) => (
            <SectionCard key={s.id} section={s} />
          ))}
        </ol>
      </SortableContext>
      <EndZone />
      <LooseZone ids={loose.map((f) => f.id)}>
        {loose.map((f) => (
          <FieldCard key={f.id} node={f} />
        ))}
      </LooseZone>
    </div>
  );
}

function EndZone() {
  const { t } = useTranslation();
  const enabled = useDropEnabled({ type: 'end' }, dragId.end);
  const { setNodeRef, isOver } = useDroppable({ id: dragId.end, disabled: !enabled });
  return (
    <div ref={setNodeRef} className={isOver ? 'end-zone over' : 'end-zone'}>
      {t('designer.canvas.end')}
    </div>
  );
}

function LooseZone({ ids, children }: { ids: string[]; children: ReactNode }) {
  const { t } = useTranslation();
  const enabled = useDropEnabled({ type: 'loose' }, dragId.loose);
  const { setNodeRef, isOver } = useDroppable({ id: dragId.loose, disabled: !enabled });
  return (
    <section ref={setNodeRef} className={isOver ? 'loose-zone over' : 'loose-zone'} aria-labelledby="designer-loose-title">
      <h3 id="designer-loose-title">{t('designer.canvas.loose')}</h3>
      <p className="hint">{t('designer.canvas.looseHint')}</p>
      <SortableContext id={dragId.loose} items={ids.map((id) => dragId.field(id))} strategy={verticalListSortingStrategy}>
        <ul className="loose-fields">{children}</ul>
      </SortableContext>
    </section>
  );
}
