import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { EditorBusy } from '../../hooks/useDefinitionEditor';

/** ToolbarWords is where a toolbar's words are in the catalogue. */
export type ToolbarWords = 'designer' | 'dashdesigner';

/** ToolbarEditor is the part of an open editor the toolbar drives (useDefinitionEditor). */
export interface ToolbarEditor {
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
  busy: EditorBusy;
  note: string;
  setNote: (note: string) => void;
  showVersions: boolean;
  toggleVersions: () => void;
  onSave: () => Promise<void>;
  onPublish: () => Promise<void>;
}

/**
 * DefinitionToolbar is a definition editor's row of actions: undo and redo (with undo),
 * the editor's own buttons (extra), the versions toggle, the note for the next version,
 * saving the draft and publishing.
 *
 * @example
 * <DefinitionToolbar editor={editor} words="designer" undo extra={<button type="button">Arrange</button>} />
 */
export function DefinitionToolbar({ editor, words, undo = false, extra, gap = true }: { editor: ToolbarEditor; words: ToolbarWords; undo?: boolean; extra?: ReactNode; gap?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="designer-toolbar" role="group" aria-label={t(`${words}.toolbar.label`)}>
      {undo ? (
        <>
          <button type="button" onClick={editor.undo} disabled={!editor.canUndo}>
            {t('designer.toolbar.undo')}
          </button>
          <button type="button" onClick={editor.redo} disabled={!editor.canRedo}>
            {t('designer.toolbar.redo')}
          </button>
        </>
      ) : null}
      {extra}
      <button type="button" aria-pressed={editor.showVersions} onClick={editor.toggleVersions}>
        {t(`${words}.toolbar.versions`)}
      </button>
      {gap ? <span className="toolbar-gap" /> : null}
      <label className="inline note">
        <span>{t(`${words}.toolbar.note`)}</span>
        <input type="text" value={editor.note} onChange={(e) => editor.setNote(e.target.value)} maxLength={2000} />
      </label>
      <button type="button" onClick={() => void editor.onSave()} disabled={editor.busy !== null}>
        {editor.busy === 'save' ? t(`${words}.toolbar.saving`) : t(`${words}.toolbar.save`)}
      </button>
      <button type="button" className="primary" onClick={() => void editor.onPublish()} disabled={editor.busy !== null}>
        {editor.busy === 'publish' ? t(`${words}.toolbar.publishing`) : t(`${words}.toolbar.publish`)}
      </button>
    </div>
  );
}
