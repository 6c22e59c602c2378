import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ErrorNotice';
import type { PublishedVersion } from '../../core/api/designerEndpoints';
import { formatDateTime } from '../../core/format/formatDateTime';
import type { EditorBusy } from '../../hooks/useDefinitionEditor';
import type { Load } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import type { ToolbarWords } from './DefinitionToolbar';

/** VersionsEditor is the part of an open editor the versions table shows and drives (useDefinitionEditor). */
export interface VersionsEditor {
  showVersions: boolean;
  versions: Load<PublishedVersion[]>;
  busy: EditorBusy;
  open: (version: number) => Promise<void>;
  rollback: (to: number) => Promise<void>;
}

/**
 * VersionHistory lists a definition's published versions, newest first: when and by
 * whom, the note, which earlier version a rollback published again. Any version can be
 * opened in the editor, and any earlier one rolled back to (after confirmation); it
 * shows while the editor's versions toggle is on. id names the table's title; words is
 * where its words are in the catalogue.
 *
 * @example
 * <VersionHistory id="designer-versions" className="designer-versions card" words="designer" editor={editor} />
 */
export function VersionHistory({ id, className, words, editor }: { id: string; className: string; words: ToolbarWords; editor: VersionsEditor }) {
  const { t, i18n } = useTranslation();
  const me = useSession().user?.id ?? '';
  if (!editor.showVersions) return null;
  const { versions } = editor;
  const busy = editor.busy !== null;
  const onOpen = (n: number) => void editor.open(n);
  const onRollback = (n: number) => void editor.rollback(n);
  const list = [...(versions.data ?? [])].reverse();
  const current = list[0]?.version;
  const titleId = `${id}-title`;
  return (
    <section className={className} aria-labelledby={titleId}>
      <h2 id={titleId}>{t(`${words}.versions.title`)}</h2>
      {versions.error ? <ErrorNotice error={versions.error} /> : null}
      {versions.data && list.length === 0 ? <p>{t(`${words}.versions.empty`)}</p> : null}
      {list.length > 0 ? (
        <div className="table-wrap">
          <table aria-labelledby={titleId}>
            <thead>
              <tr>
                <th scope="col">{t(`${words}.versions.version`)}</th>
                <th scope="col">{t(`${words}.versions.published`)}</th>
                <th scope="col">{t(`${words}.versions.by`)}</th>
                <th scope="col">{t(`${words}.versions.note`)}</th>
                <th scope="col">
                  <span className="visually-hidden">{t(`${words}.toolbar.label`)}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((v) => (
                <tr key={v.version}>
                  <th scope="row">
                    {v.version}
                    {v.version === current ? ` (${t(`${words}.versions.current`)})` : ''}
                    {v.rollback_of ? <span className="meta"> · {t(`${words}.versions.rollbackOf`, { version: v.rollback_of })}</span> : null}
                  </th>
                  <td>{formatDateTime(v.published_at, i18n.language)}</td>
                  <td>{v.author === me ? t(`${words}.versions.you`) : v.author}</td>
                  <td className="wrap">{v.note}</td>
                  <td>
                    <button type="button" className="link" onClick={() => onOpen(v.version)} disabled={busy}>
                      {t(`${words}.versions.open`, { version: v.version })}
                    </button>
                    {v.version !== current ? (
                      <>
                        {' · '}
                        <button type="button" className="link" onClick={() => onRollback(v.version)} disabled={busy}>
                          {t(`${words}.versions.rollback`, { version: v.version })}
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
