import { addColumn } from './addColumn';
import { addField } from './addField';
import { addSection } from './addSection';
import { moveColumn } from './moveColumn';
import { moveSection } from './moveSection';
import { placeField } from './placeField';
import { removeField } from './removeField';
import { removeSection } from './removeSection';
import { removeSectionItem } from './removeSectionItem';
import { renameField } from './renameField';
import { setComputed } from './setComputed';
import { setFieldMeta } from './setFieldMeta';
import { setFieldSchema } from './setFieldSchema';
import { setForm } from './setForm';
import { setOptions } from './setOptions';
import { setRequired } from './setRequired';
import { setSection } from './setSection';
import type { DesignTree, FieldNode, Json, Option, SectionNode, Slot } from './types';

/** Edit is one change a person makes in the designer. */
export type Edit =
  | { kind: 'addField'; node: FieldNode; to: Slot }
  | { kind: 'addColumn'; table: string; node: FieldNode; index: number }
  | { kind: 'placeField'; field: string; to: Slot }
  | { kind: 'moveColumn'; table: string; column: string; index: number }
  | { kind: 'removeField'; field: string }
  | { kind: 'renameField'; field: string; name: string }
  | { kind: 'setMeta'; field: string; key: string; value: Json | undefined }
  | { kind: 'setSchema'; field: string; key: string; value: Json | undefined }
  | { kind: 'setRequired'; field: string; required: boolean }
  | { kind: 'setOptions'; field: string; options: Option[] }
  | { kind: 'setComputed'; field: string; expr: string }
  | { kind: 'addSection'; section: SectionNode; index: number }
  | { kind: 'moveSection'; section: string; index: number }
  | { kind: 'removeSection'; section: string }
  | { kind: 'removeSectionItem'; section: string; index: number }
  | { kind: 'setSection'; section: string; key: string; value: Json | undefined }
  | { kind: 'setForm'; key: 'key' | 'title' | 'description'; value: Json | undefined };

/**
 * applyEdit applies one edit to a design tree and returns the new tree; the tree given
 * is never changed, so undo, "unsaved changes" and tests come for free.
 *
 * @example
 * const [tree, dispatch] = useReducer(applyEdit, fromDefinition(body));
 * dispatch({ kind: 'setRequired', field: amount.id, required: true });
 */
export function applyEdit(tree: DesignTree, edit: Edit): DesignTree {
  switch (edit.kind) {
    case 'addField':
      return addField(tree, edit.node, edit.to);
    case 'addColumn':
      return addColumn(tree, edit.table, edit.node, edit.index);
    case 'placeField':
      return placeField(tree, edit.field, edit.to);
    case 'moveColumn':
      return moveColumn(tree, edit.table, edit.column, edit.index);
    case 'removeField':
      return removeField(tree, edit.field);
    case 'renameField':
      return renameField(tree, edit.field, edit.name);
    case 'setMeta':
      return setFieldMeta(tree, edit.field, edit.key, edit.value);
    case 'setSchema':
      return setFieldSchema(tree, edit.field, edit.key, edit.value);
    case 'setRequired':
      return setRequired(tree, edit.field, edit.required);
    case 'setOptions':
      return setOptions(tree, edit.field, edit.options);
    case 'setComputed':
      return setComputed(tree, edit.field, edit.expr);
    case 'addSection':
      return addSection(tree, edit.section, edit.index);
    case 'moveSection':
      return moveSection(tree, edit.section, edit.index);
    case 'removeSection':
      return removeSection(tree, edit.section);
    case 'removeSectionItem':
      return removeSectionItem(tree, edit.section, edit.index);
    case 'setSection':
      return setSection(tree, edit.section, edit.key, edit.value);
    case 'setForm':
      return setForm(tree, edit.key, edit.value);
  }
}
