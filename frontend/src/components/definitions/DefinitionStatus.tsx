import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublishedVersion } from '../../core/api/designerEndpoints';
import type { StatusWords } from '../../hooks/useDefinitionEditor';
import type { Load } from '../../hooks/useLoad';

/**
 * DefinitionStatus is a definition editor's status line, read out as it changes: unsaved
 * changes or what the last action did, the published version, then the editor's own
 * notes (children), such as problems marked on nothing.
 *
 * @example
 * <DefinitionStatus editor={editor} words="automation.flows.status" />
 */
export function DefinitionStatus({
  editor,
  words,
  children,
}: {
  editor: { dirty: boolean; status: string; latest: number | undefined; versions: Load<PublishedVersion[]> };
  words: StatusWords;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <p className="designer-status" role="status">
      {editor.dirty ? t(`${words}.unsaved`) : editor.status}{' '}
      <span className="meta">{editor.latest ? t(`${words}.current`, { version: editor.latest }) : editor.versions.data ? t(`${words}.notPublished`) : ''}</span>
      {children}
    </p>
  );
}
