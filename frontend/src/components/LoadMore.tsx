import { useTranslation } from 'react-i18next';
import type { Pages } from '../hooks/usePages';

/**
 * LoadMore says how many items of a paged list are shown and offers the next page
 * while there is one; the count is a status that screen readers announce.
 *
 * @example
 * <LoadMore pages={pages} />
 */
export function LoadMore({ pages }: { pages: Pick<Pages<unknown>, 'items' | 'more' | 'loading' | 'loadMore'> }) {
  const { t } = useTranslation();
  const n = pages.items.length;
  return (
    <div className="pager">
      {n > 0 ? (
        <span className="count" role="status">
          {pages.more ? t('records.shown', { count: n }) : t('records.allShown', { count: n })}
        </span>
      ) : null}
      {pages.more ? (
        <button type="button" onClick={pages.loadMore} disabled={pages.loading}>
          {pages.loading ? t('records.loadingMore') : t('records.loadMore')}
        </button>
      ) : null}
      {pages.loading && n === 0 ? <span className="loading">{t('app.loading')}</span> : null}
    </div>
  );
}
