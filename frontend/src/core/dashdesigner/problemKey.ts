// Inputs the designer places problems on, as pointer patterns; a filter's inner
// problems (/widgets/0/filter/and/1/field) go to the filter's input.
const PLACES: readonly RegExp[] = [
  /^\/(key|name|description)/,
  /^\/filters\/\d+\/(id|field|kind|label)/,
  /^\/filters\/\d+/,
  /^\/widgets\/\d+\/group_by\/\d+\/(field|bucket|bounds)/,
  /^\/widgets\/\d+\/measures\/\d+\/(name|op|field|filter|numerator|denominator|label|format|hidden)/,
  /^\/widgets\/\d+\/stages\/\d+\/(id|label|filter)/,
  /^\/widgets\/\d+\/(group_by|measures|stages)\/\d+/,
  /^\/widgets\/\d+\/(id|type|form|title|filter|group_by|measures|stages|sort|limit|filters_ignored)/,
  /^\/widgets\/\d+/,
];

/**
 * problemKey is the pointer of the input that shows a problem of the dashboard: the
 * problem's own pointer cut to the deepest part the designer has an input for, "" for
 * the dashboard as a whole.
 *
 * @example
 * problemKey('/widgets/3/measures/1/filter/and/0/value') // "/widgets/3/measures/1/filter"
 * problemKey('/name/en') // "/name"
 */
export function problemKey(path: string): string {
  for (const re of PLACES) {
    const m = re.exec(path);
    if (m) return m[0];
  }
  return '';
}
