import type { DashboardFilterDef, FieldOption, FormAccess, Localized } from '../api/types';

/** FilterControl is one dashboard filter as the page offers it. */
export interface FilterControl {
  id: string;
  kind: 'time_range' | 'select';
  /** label is the filter's own, else its field's. */
  label: Localized | undefined;
  /** options are the choices of a select, from its field on the dashboard's forms. */
  options: FieldOption[];
}

/**
 * filterControls pairs each dashboard filter with its field on the dashboard's forms,
 * for the choices a select offers and a label when the filter has none. A select whose
 * field has no choices the caller may see is left out: there is nothing to pick.
 *
 * @example
 * filterControls(definition.filters, forms) // [{ id: 'channel', kind: 'select', options: [...] }, …]
 */
export function filterControls(defs: readonly DashboardFilterDef[], forms: readonly FormAccess[]): FilterControl[] {
  const out: FilterControl[] = [];
  for (const def of defs) {
    const field = forms.flatMap((f) => f.fields).find((f) => f.name === def.field);
    const options = field?.options ?? [];
    if (def.kind === 'select' && options.length === 0) continue;
    out.push({ id: def.id, kind: def.kind, label: def.label ?? field?.label, options: def.kind === 'select' ? options : [] });
  }
  return out;
}
