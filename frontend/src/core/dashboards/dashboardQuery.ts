/** FilterValue is what a person chose in one dashboard filter: values of a select, or a date range. */
export interface FilterValue {
  values?: string[];
  /** from and to are calendar dates "YYYY-MM-DD", both inclusive. */
  from?: string;
  to?: string;
}

/** FilterValues are the chosen filters by filter id. */
export type FilterValues = Record<string, FilterValue>;

/**
 * dashboardQuery is the query every widget route takes: the locale of the labels, and
 * each chosen filter as `filter.<id>=v1,v2` (select) or `filter.<id>.from|to=YYYY-MM-DD`
 * (time range). Empty choices are left out, and keys are sorted so equal choices give
 * equal URLs (the browser then reuses a chart it already has).
 *
 * @example
 * dashboardQuery('en', { channel: { values: ['online', 'partner'] } })
 * // { locale: 'en', 'filter.channel': 'online,partner' }
 */
export function dashboardQuery(locale: string, filters: FilterValues): Record<string, string> {
  const q: Record<string, string> = { locale };
  for (const id of Object.keys(filters).sort()) {
    const f = filters[id];
    if (!f) continue;
    const values = (f.values ?? []).filter((v) => v !== '');
    if (values.length > 0) q[`filter.${id}`] = values.join(',');
    if (f.from) q[`filter.${id}.from`] = f.from;
    if (f.to) q[`filter.${id}.to`] = f.to;
  }
  return q;
}
