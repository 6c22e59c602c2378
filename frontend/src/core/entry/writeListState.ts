import { DEFAULT_SORT, type ListState } from './listTypes';

/**
 * writeListState puts the record list's state into URL parameters (the defaults left
 * out), keeping the other parameters of params.
 *
 * @example
 * writeListState(new URLSearchParams(), { filters: [], sort: '-amount', cols: null }).toString() // "sort=-amount"
 */
export function writeListState(params: URLSearchParams, state: ListState): URLSearchParams {
  const out = new URLSearchParams(params);
  out.delete('f');
  out.delete('sort');
  out.delete('cols');
  for (const r of state.filters) out.append('f', `${r.field}:${r.op}:${r.value}`);
  if (state.sort && state.sort !== DEFAULT_SORT) out.set('sort', state.sort);
  if (state.cols === 'all') out.set('cols', '*');
  else if (state.cols) out.set('cols', state.cols.join(','));
  return out;
}
