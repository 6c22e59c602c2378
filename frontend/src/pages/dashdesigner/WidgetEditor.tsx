import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asList } from '../../core/dashdesigner/asList';
import { asObject } from '../../core/dashdesigner/asObject';
import { groupCount } from '../../core/dashdesigner/groupCount';
import { setMeasureOp } from '../../core/dashdesigner/setMeasureOp';
import { setWidgetType } from '../../core/dashdesigner/setWidgetType';
import { BUCKETS, FORMATS, MEASURE_OPS, WIDGET_TYPES, type Json, type JsonObject, type MeasureOp, type WidgetType } from '../../core/dashdesigner/types';
import { uniqueId } from '../../core/dashdesigner/uniqueId';
import { updateItem } from '../../core/dashdesigner/updateItem';
import { updateWidget } from '../../core/dashdesigner/updateWidget';
import { withMember } from '../../core/dashdesigner/withMember';
import { localized } from '../../core/forms/localized';
import { DashInput } from './DashInput';
import { DashProblems } from './DashProblems';
import { useDashEditor } from './DashEditorContext';
import { FilterEditor } from './FilterEditor';
import { LocalizedInputs } from './LocalizedInputs';
import { fieldsListId } from './FieldLists';
import { useWidgetWords } from './useWidgetWords';

const str = (v: Json | undefined) => (typeof v === 'string' ? v : '');

/**
 * WidgetEditor edits one widget: id, type, form, title, the group keys its type takes
 * (field, bucket, bounds), its measures (operation, field or ratio parts, label, format,
 * hidden, own filter) or funnel stages, its filter, sort and top N, and the dashboard
 * filters it ignores.
 */
export function WidgetEditor({ index }: { index: number }) {
  const { t, i18n } = useTranslation();
  const { body, edit, forms } = useDashEditor();
  const words = useWidgetWords();
  const w = asObject(asList(body['widgets'])[index]);
  const at = `/widgets/${index}`;
  const id = `w${index}`;
  const type = str(w['type']) as WidgetType;
  const form = str(w['form']);
  const list = fieldsListId(form);
  const lang = i18n.language;
  const set = (fn: (w: JsonObject) => JsonObject, pointer: string) => edit((b) => updateWidget(b, index, fn), pointer);
  const member = (key: string, pointer = `${at}/${key}`) => (v: Json | undefined) => set((x) => withMember(x, key, v), pointer);
  const groups = asList(w['group_by']);
  const measures = asList(w['measures']).map(asObject);
  const stages = asList(w['stages']).map(asObject);
  const [least, most] = groupCount(type);
  const measureNames = measures.map((m) => str(m['name']));
  const dashFilters = asList(body['filters']).map(asObject);
  const ignored = asList(w['filters_ignored']).map(String);
  const sort = asObject(w['sort']);

  return (
    <div className="widget-editor">
      <div className="grid-3">
        <DashInput kind="text" id={`${id}-id`} label={t('dashdesigner.widget.id')} pointer={`${at}/id`} value={str(w['id'])} onChange={member('id')} />
        <DashInput
          kind="select"
          id={`${id}-type`}
          label={t('dashdesigner.widget.type')}
          pointer={`${at}/type`}
          value={type}
          options={WIDGET_TYPES.map((x) => ({ value: x, label: t(`dashdesigner.widget.types.${x}`) }))}
          onChange={(v) => set((x) => setWidgetType(x, v as WidgetType, words), `${at}/type`)}
        />
        <DashInput
          kind="select"
          id={`${id}-form`}
          label={t('dashdesigner.widget.form')}
          pointer={`${at}/form`}
          value={form}
          options={forms.map((f) => ({ value: f.form, label: localized(f.title, lang, f.form) }))}
          onChange={member('form')}
        />
      </div>
      <LocalizedInputs id={`${id}-title`} labels={[t('dashdesigner.widget.titleZh'), t('dashdesigner.widget.titleEn')]} pointer={`${at}/title`} value={w['title']} onChange={member('title')} />

      {most > 0 ? (
        <fieldset>
          <legend>{t('dashdesigner.widget.groupBy')}</legend>
          <p className="hint">{t('dashdesigner.widget.groupRule', { least, most })}</p>
          <DashInputProblems pointer={`${at}/group_by`} id={`${id}-group_by`} />
          {groups.map((g, j) => {
            const go = asObject(g);
            const gat = `${at}/group_by/${j}`;
            const bucket = str(go['bucket']);
            const bounds = asList(go['bounds']);
            return (
              <div key={j} className="dash-row" role="group" aria-label={`${t('dashdesigner.widget.groupBy')} ${j + 1}`}>
                <DashInput kind="text" id={`${id}-g${j}-field`} label={t('dashdesigner.widget.groupField')} pointer={`${gat}/field`} list={list} value={str(go['field'])}
                  onChange={(v) => set((x) => updateItem(x, 'group_by', j, (o) => withMember(o, 'field', v)), `${gat}/field`)} />
                <DashInput kind="select" id={`${id}-g${j}-bucket`} label={t('dashdesigner.widget.bucket')} pointer={`${gat}/bucket`} value={bucket}
                  options={BUCKETS.map((b) => ({ value: b, label: t(`dashdesigner.widget.buckets.${b || 'value'}`) }))}
                  onChange={(v) => set((x) => updateItem(x, 'group_by', j, (o) => withMember(withMember(o, 'bucket', v || undefined), 'bounds', v === 'range' ? (o['bounds'] ?? []) : undefined)), `${gat}/bucket`)} />
                {bucket === 'range' ? (
                  <BoundsInput id={`${id}-g${j}-bounds`} pointer={`${gat}/bounds`} value={bounds} onChange={(v) => set((x) => updateItem(x, 'group_by', j, (o) => withMember(o, 'bounds', v)), `${gat}/bounds`)} />
                ) : null}
                {groups.length > least ? (
                  <button type="button" onClick={() => set((x) => withMember(x, 'group_by', groups.filter((_, k) => k !== j)), `${at}/group_by`)} aria-label={t('dashdesigner.widget.removeGroup', { n: j + 1 })}>
                    ×
                  </button>
                ) : null}
              </div>
            );
          })}
          {groups.length < most ? (
            <button type="button" onClick={() => set((x) => withMember(x, 'group_by', [...groups, { field: '' }]), `${at}/group_by`)}>
              {t('dashdesigner.widget.addGroup')}
            </button>
          ) : null}
        </fieldset>
      ) : null}

      {type === 'funnel' ? (
        <fieldset>
          <legend>{t('dashdesigner.widget.stages')}</legend>
          <DashInputProblems pointer={`${at}/stages`} id={`${id}-stages`} />
          {stages.map((s, j) => {
            const sat = `${at}/stages/${j}`;
            const setStage = (key: string) => (v: Json | undefined) => set((x) => updateItem(x, 'stages', j, (o) => withMember(o, key, v)), `${sat}/${key}`);
            return (
              <fieldset key={j} className="dash-item">
                <legend>{t('dashdesigner.widget.stage', { n: j + 1 })}</legend>
                <DashInput kind="text" id={`${id}-s${j}-id`} label={t('dashdesigner.widget.stageId')} pointer={`${sat}/id`} value={str(s['id'])} onChange={setStage('id')} />
                <LocalizedInputs id={`${id}-s${j}-label`} labels={[t('dashdesigner.widget.labelZh'), t('dashdesigner.widget.labelEn')]} pointer={`${sat}/label`} value={s['label']} onChange={setStage('label')} />
                <FilterEditor id={`${id}-s${j}-filter`} legend={t('dashdesigner.widget.stageFilter')} list={list} pointer={`${sat}/filter`} value={s['filter']} onChange={setStage('filter')} />
                <button type="button" onClick={() => set((x) => withMember(x, 'stages', stages.filter((_, k) => k !== j)), `${at}/stages`)}>
                  {t('dashdesigner.widget.removeStage', { n: j + 1 })}
                </button>
              </fieldset>
            );
          })}
          <button type="button" onClick={() => set((x) => withMember(x, 'stages', [...stages, { id: uniqueId('stage', stages.map((s) => str(s['id']))), label: words.stage(stages.length + 1) }]), `${at}/stages`)}>
            {t('dashdesigner.widget.addStage')}
          </button>
        </fieldset>
      ) : (
        <fieldset>
          <legend>{t('dashdesigner.widget.measures')}</legend>
          <DashInputProblems pointer={`${at}/measures`} id={`${id}-measures`} />
          {measures.map((m, j) => {
            const mat = `${at}/measures/${j}`;
            const op = str(m['op']) as MeasureOp;
            const name = str(m['name']);
            const setM = (key: string) => (v: Json | undefined) => set((x) => updateItem(x, 'measures', j, (o) => withMember(o, key, v)), `${mat}/${key}`);
            const parts = measures.filter((o) => str(o['op']) !== 'ratio' && str(o['name']) !== name).map((o) => ({ value: str(o['name']), label: str(o['name']) }));
            return (
              <fieldset key={j} className="dash-item">
                <legend>{t('dashdesigner.widget.measure', { name })}</legend>
                <div className="grid-3">
                  <DashInput kind="text" id={`${id}-m${j}-name`} label={t('dashdesigner.widget.name')} pointer={`${mat}/name`} value={name} onChange={setM('name')} />
                  <DashInput kind="select" id={`${id}-m${j}-op`} label={t('dashdesigner.widget.op')} pointer={`${mat}/op`} value={op}
                    options={MEASURE_OPS.map((o) => ({ value: o, label: t(`dashdesigner.widget.ops.${o}`) }))}
                    onChange={(v) => set((x) => updateItem(x, 'measures', j, (o) => setMeasureOp(o, v as MeasureOp)), `${mat}/op`)} />
                  {op === 'sum' || op === 'avg' || op === 'min' || op === 'max' ? (
                    <DashInput kind="text" id={`${id}-m${j}-field`} label={t('dashdesigner.widget.field')} pointer={`${mat}/field`} list={list} value={str(m['field'])} onChange={setM('field')} />
                  ) : null}
                  {op === 'ratio' ? (
                    <>
                      <DashInput kind="select" id={`${id}-m${j}-num`} label={t('dashdesigner.widget.numerator')} pointer={`${mat}/numerator`} value={str(m['numerator'])} options={parts} onChange={setM('numerator')} />
                      <DashInput kind="select" id={`${id}-m${j}-den`} label={t('dashdesigner.widget.denominator')} pointer={`${mat}/denominator`} value={str(m['denominator'])} options={parts} onChange={setM('denominator')} />
                    </>
                  ) : null}
                  <DashInput kind="select" id={`${id}-m${j}-format`} label={t('dashdesigner.widget.format')} pointer={`${mat}/format`} value={str(m['format'])}
                    options={FORMATS.map((f) => ({ value: f, label: t(`dashdesigner.widget.formats.${f || 'none'}`) }))}
                    onChange={(v) => setM('format')(v || undefined)} />
                </div>
                <LocalizedInputs id={`${id}-m${j}-label`} labels={[t('dashdesigner.widget.labelZh'), t('dashdesigner.widget.labelEn')]} pointer={`${mat}/label`} value={m['label']} onChange={setM('label')} />
                <DashInput kind="check" id={`${id}-m${j}-hidden`} label={t('dashdesigner.widget.hidden')} pointer={`${mat}/hidden`} value={m['hidden'] === true} onChange={(v) => setM('hidden')(v ? true : undefined)} />
                {op !== 'ratio' ? (
                  <FilterEditor id={`${id}-m${j}-filter`} legend={t('dashdesigner.widget.measureFilter')} list={list} pointer={`${mat}/filter`} value={m['filter']} onChange={setM('filter')} />
                ) : null}
                <button type="button" onClick={() => set((x) => withMember(x, 'measures', measures.filter((_, k) => k !== j)), `${at}/measures`)}>
                  {t('dashdesigner.widget.removeMeasure', { name })}
                </button>
              </fieldset>
            );
          })}
          <button
            type="button"
            onClick={() => set((x) => withMember(x, 'measures', [...measures, { name: uniqueId('measure', measureNames), op: 'count', label: words.count }]), `${at}/measures`)}
          >
            {t('dashdesigner.widget.addMeasure')}
          </button>
        </fieldset>
      )}

      <FilterEditor id={`${id}-filter`} legend={t('dashdesigner.widget.filter')} list={list} pointer={`${at}/filter`} value={w['filter']} onChange={member('filter')} />

      {type !== 'funnel' && type !== 'kpi' ? (
        <div className="grid-3">
          <DashInput kind="select" id={`${id}-sort`} label={t('dashdesigner.widget.sortBy')} pointer={`${at}/sort`} value={str(sort['by'])}
            options={[{ value: '', label: t('dashdesigner.widget.sortNone') }, { value: 'key', label: t('dashdesigner.widget.sortKey') }, ...measureNames.map((n) => ({ value: n, label: n }))]}
            onChange={(v) => member('sort')(v ? withMember(sort, 'by', v) : undefined)} />
          {sort['by'] !== undefined ? (
            <DashInput kind="check" id={`${id}-desc`} label={t('dashdesigner.widget.sortDesc')} pointer={`${at}/sort#desc`} value={sort['desc'] === true} onChange={(v) => member('sort')(withMember(sort, 'desc', v ? true : undefined))} />
          ) : null}
          <DashInput kind="number" id={`${id}-limit`} label={t('dashdesigner.widget.limit')} pointer={`${at}/limit`} value={w['limit'] === undefined ? '' : String(w['limit'])}
            onChange={(v) => member('limit')(v.trim() === '' ? undefined : /^\d+$/.test(v.trim()) ? Number(v.trim()) : v)} />
        </div>
      ) : null}

      {dashFilters.length > 0 ? (
        <fieldset>
          <legend>{t('dashdesigner.widget.ignored')}</legend>
          {dashFilters.map((f) => {
            const fid = str(f['id']);
            return (
              <label key={fid} className="check">
                <input
                  type="checkbox"
                  checked={ignored.includes(fid)}
                  onChange={(e) => {
                    const next = e.target.checked ? [...ignored, fid] : ignored.filter((x) => x !== fid);
                    member('filters_ignored')(next.length > 0 ? next : undefined);
                  }}
                />
                {localized(asObject(f['label']) as Record<string, string>, lang, fid)}
              </label>
            );
          })}
          <DashInputProblems pointer={`${at}/filters_ignored`} id={`${id}-ignored`} />
        </fieldset>
      ) : null}
    </div>
  );
}

/** DashInputProblems shows the problems of a list as a whole (too few group keys or measures). */
function DashInputProblems({ pointer, id }: { pointer: string; id: string }) {
  const { problemsAt } = useDashEditor();
  return <DashProblems id={`${id}-problems`} problems={problemsAt(pointer)} />;
}

/** BoundsInput edits a range bucket's bounds as numbers separated by commas. */
function BoundsInput({ id, pointer, value, onChange }: { id: string; pointer: string; value: Json[]; onChange: (v: Json) => void }) {
  const { t } = useTranslation();
  const parse = (v: string): Json[] => v.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (Number.isFinite(Number(s)) ? Number(s) : s));
  // The text as typed ("1000," on the way to "1000, 5000") while it still says the bounds held.
  const [typed, setTyped] = useState(value.join(', '));
  const text = JSON.stringify(parse(typed)) === JSON.stringify(value) ? typed : value.join(', ');
  return (
    <DashInput
      kind="text"
      id={id}
      label={t('dashdesigner.widget.bounds')}
      pointer={pointer}
      value={text}
      onChange={(v) => {
        setTyped(v);
        onChange(parse(v));
      }}
    />
  );
}
