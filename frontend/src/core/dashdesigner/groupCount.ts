import type { WidgetType } from './types';

/**
 * groupCount is how many group keys a widget type takes, least and most (the server's
 * rule: kpi and funnel none, stacked bars two, tables one to four, the others one).
 *
 * @example
 * groupCount('table') // [1, 4]
 */
export function groupCount(type: WidgetType | string): [number, number] {
  switch (type) {
    case 'kpi':
    case 'funnel':
      return [0, 0];
    case 'stacked_bar':
      return [2, 2];
    case 'table':
      return [1, 4];
    default:
      return [1, 1];
  }
}
