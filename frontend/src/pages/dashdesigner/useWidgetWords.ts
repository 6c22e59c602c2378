import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { WidgetWords } from '../../core/dashdesigner/newWidget';

/**
 * useWidgetWords returns the texts new widgets, measures and stages start with, in both
 * languages the templates are written in.
 *
 * @example
 * newWidget('bar', form, taken, useWidgetWords());
 */
export function useWidgetWords(): WidgetWords {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const both = (key: string, values: Record<string, unknown> = {}) => ({
      'zh-CN': String(i18n.t(key as never, { ...values, lng: 'zh-CN' })),
      en: String(i18n.t(key as never, { ...values, lng: 'en' })),
    });
    return {
      title: both('dashdesigner.widgets.newTitle'),
      count: both('dashdesigner.widget.ops.count'),
      stage: (n: number) => both('dashdesigner.widget.stage', { n }),
    };
  }, [i18n]);
}
