import { moveItem } from '../designer/moveItem';
import { asList } from './asList';
import { asObject } from './asObject';
import { filterRows } from './filterRows';
import { rowsFilter } from './rowsFilter';
import type { Json, JsonObject } from './types';
import { updateItem } from './updateItem';
import { updateWidget } from './updateWidget';
import { widgetIds } from './widgetIds';
import { withMember } from './withMember';

// The starter app's cockpit, read straight from the repository's template.
const templates = import.meta.glob<JsonObject>('../../../../schemas/templates/lending/dashboards/*.json', { eager: true, import: 'default' });
const cockpit = Object.entries(templates).find(([p]) => p.endsWith('/cockpit.json'))?.[1] as JsonObject;

/** filtersOf lists every filter of a dashboard with where it sits. */
function filtersOf(body: JsonObject): Array<[string, Json]> {
  const out: Array<[string, Json]> = [];
  asList(body['widgets']).forEach((w, i) => {
    const wo = asObject(w);
    if (wo['filter'] !== undefined) out.push([`/widgets/${i}/filter`, wo['filter']]);
    asList(wo['measures']).forEach((m, j) => {
      const f = asObject(m)['filter'];
      if (f !== undefined) out.push([`/widgets/${i}/measures/${j}/filter`, f]);
    });
    asList(wo['stages']).forEach((s, j) => {
      const f = asObject(s)['filter'];
      if (f !== undefined) out.push([`/widgets/${i}/stages/${j}/filter`, f]);
    });
  });
  return out;
}

describe('the cockpit through the dashboard designer', () => {
  it('is read from the templates', () => {
    expect(widgetIds(cockpit)).toContain('headline');
  });

  it('comes back unchanged when every widget and measure is rewritten as the designer does', () => {
    const before = JSON.stringify(cockpit);
    let body = structuredClone(cockpit);
    widgetIds(body).forEach((_, i) => {
      body = updateWidget(body, i, (w) => {
        let out = w;
        asList(w['measures']).forEach((_m, j) => {
          out = updateItem(out, 'measures', j, (m) => withMember(m, 'label', m['label']));
        });
        const rows = filterRows(w['filter']);
        return rows ? withMember(out, 'filter', rowsFilter(rows)) : out;
      });
    });
    expect(JSON.stringify(body)).toBe(before);
    expect(JSON.stringify(cockpit)).toBe(before);
  });

  it('reads every simple filter as rows and writes it back as the same JSON', () => {
    const all = filtersOf(cockpit);
    expect(all.length).toBeGreaterThan(20);
    let simple = 0;
    for (const [where, f] of all) {
      const rows = filterRows(f);
      if (!rows) continue;
      simple++;
      expect({ where, filter: rowsFilter(rows) }).toEqual({ where, filter: f });
    }
    // The funnel's "or" stays JSON; the rest are conditions.
    expect(simple).toBe(all.length - 1);
    expect(filterRows(all.find(([w]) => w === '/widgets/0/stages/1/filter')?.[1])).toBeNull();
  });

  it('edits one widget and keeps the others and their order', () => {
    const moved = { ...cockpit, widgets: moveItem(asList(cockpit['widgets']), 1, 0) };
    expect(widgetIds(moved).slice(0, 2)).toEqual(['headline', 'application_funnel']);
    const titled = updateWidget(moved, 0, (w) => withMember(w, 'title', { en: 'Key figures', 'zh-CN': '关键指标' }));
    expect(asObject(asList(titled['widgets'])[0])['title']).toEqual({ en: 'Key figures', 'zh-CN': '关键指标' });
    expect(asList(titled['widgets']).slice(1)).toEqual(asList(moved['widgets']).slice(1));
  });
});
