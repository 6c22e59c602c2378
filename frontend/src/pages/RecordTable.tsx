import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FormRecord } from '../core/api/types';
import type { Column } from '../core/forms/columns';
import { formatCell, type CellWords } from '../core/forms/formatCell';
import { localized } from '../core/forms/localized';
import { useCellWords } from '../hooks/useCellWords';

/** VIRTUAL_FROM is the length from which a virtual table draws only the rows in view. */
export const VIRTUAL_FROM = 100;
/** ROW_HEIGHT is a row's height before it is measured (one line of text and padding). */
const ROW_HEIGHT = 37;
/** CREATED is the metadata name the list sorts by creation time with. */
const CREATED = '_created_at';

interface Props {
  columns: Column[];
  records: FormRecord[];
  locale: string;
  createdHeader: string;
  formatCreated: (iso: string) => string;
  /** recordHref, when given, makes each row's first cell a link to the record. */
  recordHref?: (r: FormRecord) => string;
  /** caption names the table for screen readers. */
  caption?: string;
  /**
   * virtual draws a long list (VIRTUAL_FROM rows and more) in a scrolling box with only
   * the rows in view (and a few around them) in the page, so ten thousand rows scroll
   * smoothly; shorter lists are drawn whole.
   */
  virtual?: boolean;
  /** sort is the list's sort ("-amount"); with onSort the sortable columns' headers sort. */
  sort?: string;
  sortable?: ReadonlySet<string>;
  onSort?: (field: string) => void;
}

/** RecordTable draws records as rows, one column per field, values written for locale. */
export function RecordTable(props: Props) {
  const { columns, records, locale, createdHeader, caption, virtual = false } = props;
  const { t } = useTranslation();
  const words = useCellWords();
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const windowed = virtual && records.length >= VIRTUAL_FROM;
  const width = columns.length + 1;
  const openLabel = useCallback((id: string) => t('records.open', { id }), [t]);
  const { formatCreated, recordHref } = props;
  const row = (r: FormRecord, extra?: { index: number; measure: (el: Element | null) => void }) => (
    <RecordRow
      key={r.id}
      r={r}
      columns={columns}
      locale={locale}
      formatCreated={formatCreated}
      recordHref={recordHref}
      words={words}
      openLabel={openLabel}
      index={extra?.index}
      measure={extra?.measure}
    />
  );

  return (
    <div className={windowed ? 'table-wrap table-scroll' : 'table-wrap'} ref={scrollRef} tabIndex={windowed ? 0 : undefined} role={windowed ? 'region' : undefined} aria-label={windowed ? caption : undefined}>
      <table className="records" aria-rowcount={windowed ? records.length + 1 : undefined}>
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
        <thead ref={headRef}>
          <tr aria-rowindex={windowed ? 1 : undefined}>
            {columns.map((c) => (
              <Header key={c.name} field={c.name} label={localized(c.label, locale, c.name)} {...props} />
            ))}
            <Header field={CREATED} label={createdHeader} {...props} />
          </tr>
        </thead>
        {windowed ? (
          <VirtualBody count={records.length} width={width} scrollRef={scrollRef} headRef={headRef} render={(i, extra) => row(records[i]!, extra)} />
        ) : (
          <tbody>{records.map((r) => row(r))}</tbody>
        )}
      </table>
    </div>
  );
}

function Header({ field, label, sort, sortable, onSort }: { field: string; label: string } & Pick<Props, 'sort' | 'sortable' | 'onSort'>) {
  const { t } = useTranslation();
  const can = onSort && (field === CREATED || sortable?.has(field));
  const dir = sort === field ? 'ascending' : sort === `-${field}` ? 'descending' : undefined;
  return (
    <th scope="col" title={field === CREATED ? undefined : field} aria-sort={can ? (dir ?? 'none') : undefined}>
      {can ? (
        <button type="button" className="sort" onClick={() => onSort(field)} title={t('entry.list.sortBy', { column: label })}>
          {label}
        </button>
      ) : (
        label
      )}
    </th>
  );
}

interface RowProps extends Pick<Props, 'columns' | 'locale' | 'formatCreated'> {
  r: FormRecord;
  recordHref: Props['recordHref'] | undefined;
  words: CellWords;
  openLabel: (id: string) => string;
  /** index and measure: the row's place in a virtual table, and how the table measures it. */
  index: number | undefined;
  measure: ((el: Element | null) => void) | undefined;
}

// A scroll of a virtual table renders the rows in view again; those that stay in view
// keep their cells (and their links) instead of being drawn anew.
const RecordRow = memo(function RecordRow({ r, columns, locale, formatCreated, recordHref, words, openLabel, index, measure }: RowProps) {
  return (
    <tr ref={measure} data-index={index} aria-rowindex={index === undefined ? undefined : index + 2}>
      {columns.map((c, i) => {
        const text = formatCell(r.data[c.name], c, locale, words);
        const linked = recordHref && i === 0;
        return (
          <td key={c.name} className={c.widget === 'money' || c.widget === 'number' ? 'num' : undefined}>
            {linked ? <Link to={recordHref(r)}>{text === words.empty ? openLabel(r.id) : text}</Link> : text}
          </td>
        );
      })}
      <td>{formatCreated(r.created_at)}</td>
    </tr>
  );
});

/**
 * VirtualBody renders the rows in view between two spacer rows that stand for the rows
 * above and below, so the table keeps its columns and the scroll bar its length.
 */
function VirtualBody({
  count,
  width,
  scrollRef,
  headRef,
  render,
}: {
  count: number;
  width: number;
  scrollRef: RefObject<HTMLDivElement | null>;
  headRef: RefObject<HTMLTableSectionElement | null>;
  render: (index: number, extra: { index: number; measure: (el: Element | null) => void }) => ReactNode;
}) {
  // The rows start below the header, inside the same scrolling box.
  const [margin, setMargin] = useState(ROW_HEIGHT);
  useLayoutEffect(() => {
    const h = headRef.current?.offsetHeight;
    if (h) setMargin(h);
  }, [headRef]);
  const v = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    scrollMargin: margin,
  });
  // Rows are measured where the browser lays them out (a row may wrap or use another font);
  // without layout (no ResizeObserver) every row keeps the estimate.
  const measure = typeof ResizeObserver === 'undefined' ? noMeasure : v.measureElement;
  const items = v.getVirtualItems();
  const first = items[0];
  const last = items.at(-1);
  const above = first ? first.start - margin : 0;
  const below = last ? Math.max(0, v.getTotalSize() - (last.end - margin)) : 0;
  return (
    <tbody>
      {above > 0 ? <Spacer height={above} width={width} /> : null}
      {items.map((it) => render(it.index, { index: it.index, measure }))}
      {below > 0 ? <Spacer height={below} width={width} /> : null}
    </tbody>
  );
}

function noMeasure() {}

function Spacer({ height, width }: { height: number; width: number }) {
  return (
    <tr aria-hidden="true" className="spacer">
      <td colSpan={width} style={{ height, padding: 0, border: 'none' }} />
    </tr>
  );
}
