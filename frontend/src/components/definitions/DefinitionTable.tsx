import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DefinitionSummary } from '../../core/api/designerEndpoints';
import { formatDateTime } from '../../core/format/formatDateTime';
import type { Load } from '../../hooks/useLoad';
import { ErrorNotice } from '../ErrorNotice';
import type { ToolbarWords } from './DefinitionToolbar';

/** DefinitionColumn is one column a list adds: its heading and each row's cell. */
export interface DefinitionColumn<T> {
  heading: string;
  cell: (row: T) => ReactNode;
}

/**
 * DefinitionTable lists definitions of one kind, published or only drafted: the name
 * (leading to the editor), the key, the list's own columns, the latest version (with
 * when it was published, if showPublished), the draft's state and the last change, then
 * any trailing columns. While loading, on an error and when there are none it says so.
 *
 * @example
 * <DefinitionTable rows={defs} words="designer" empty={t('designer.list.empty')} name={{ heading: t('designer.list.title'), cell: (d) => d.key }} keyHeading={t('designer.list.key')} showPublished />
 */
export function DefinitionTable<T extends DefinitionSummary>({
  rows,
  words,
  empty,
  name,
  keyHeading,
  columns = [],
  trailing = [],
  showPublished = false,
}: {
  rows: Load<T[]>;
  words: ToolbarWords;
  empty: string;
  name: DefinitionColumn<T>;
  keyHeading: string;
  columns?: readonly DefinitionColumn<T>[];
  trailing?: readonly DefinitionColumn<T>[];
  showPublished?: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <>
      {rows.error ? <ErrorNotice error={rows.error} /> : null}
      {rows.loading && !rows.data ? <p className="loading">{t('app.loading')}</p> : null}
      {rows.data && rows.data.length === 0 ? <p>{empty}</p> : null}
      {rows.data && rows.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{name.heading}</th>
                <th scope="col">{keyHeading}</th>
                {columns.map((c) => (
                  <th scope="col" key={c.heading}>
                    {c.heading}
                  </th>
                ))}
                <th scope="col">{t(`${words}.list.latest`)}</th>
                <th scope="col">{t(`${words}.list.draft`)}</th>
                <th scope="col">{t(`${words}.list.updated`)}</th>
                {trailing.map((c) => (
                  <th scope="col" key={c.heading}>
                    {c.heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.data.map((d) => (
                <tr key={d.key}>
                  <th scope="row">{name.cell(d)}</th>
                  <td>
                    <code>{d.key}</code>
                  </td>
                  {columns.map((c) => (
                    <td key={c.heading}>{c.cell(d)}</td>
                  ))}
                  <td>
                    {d.latest > 0 ? t(`${words}.list.version`, { version: d.latest }) : t(`${words}.list.notPublished`)}
                    {showPublished && d.published_at ? <span className="meta"> · {formatDateTime(d.published_at, i18n.language)}</span> : null}
                  </td>
                  <td>
                    {t(`${words}.list.draftStatus.${d.draft}`)}
                    {d.draft !== 'none' && !d.draft_valid ? <span className="problem"> · {t(`${words}.list.draftInvalid`)}</span> : null}
                  </td>
                  <td>{d.updated_at ? formatDateTime(d.updated_at, i18n.language) : null}</td>
                  {trailing.map((c) => (
                    <td key={c.heading}>{c.cell(d)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
