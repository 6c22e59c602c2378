// The dashboard designer edits the definition JSON itself (schemas/dashboard.schema.json):
// every edit is a pure function from one body to the next that touches only what it
// changes, so members the designer does not know survive a load and save unchanged.

import type { Json, JsonObject } from '../designer/types';

export type { Json, JsonObject };

/** WIDGET_TYPES are the widget types the format has, in the order the designer offers them. */
export const WIDGET_TYPES = ['kpi', 'bar', 'stacked_bar', 'line', 'pie', 'funnel', 'table', 'distribution'] as const;
export type WidgetType = (typeof WIDGET_TYPES)[number];

/** MEASURE_OPS are the measure operations of the format. */
export const MEASURE_OPS = ['count', 'sum', 'avg', 'min', 'max', 'ratio'] as const;
export type MeasureOp = (typeof MEASURE_OPS)[number];

/** BUCKETS are the group-by buckets ("" is the value itself). */
export const BUCKETS = ['', 'day', 'week', 'month', 'range'] as const;

/** FORMATS say how the UI shows a measure's values. */
export const FORMATS = ['', 'number', 'money', 'percent'] as const;

/** LEAF_OPS are the operators of a filter leaf. */
export const LEAF_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'exists', 'contains', 'prefix'] as const;
export type LeafOp = (typeof LEAF_OPS)[number];
