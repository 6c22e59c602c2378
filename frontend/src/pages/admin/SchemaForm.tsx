import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../../core/api/apiError';
import { ApiError } from '../../core/api/apiError';
import type { JsonSchema } from '../../core/api/adminEndpoints';
import { resolveSchema } from '../../core/admin/resolveSchema';
import { schemaKind } from '../../core/admin/schemaKind';
import { setIn } from '../../core/admin/setIn';
import { AdminProblems } from './AdminNotices';

interface Props {
  /** id prefixes the inputs' ids, so two forms on a page do not clash. */
  id: string;
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  /** error is the server's answer; its problems at base + a pointer land on that input. */
  error: unknown;
  base: string;
}

const escape = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');
const pointer = (path: readonly string[]) => path.map((p) => '/' + escape(p)).join('');

/**
 * SchemaForm edits a JSON value through inputs drawn from its JSON Schema: objects as
 * fieldsets, enums as choices, booleans, strings, numbers and integers as inputs,
 * arrays of enums as check boxes, arrays of strings one per line, anything else as
 * JSON. Empty inputs are left out so the default applies (shown as the placeholder).
 * The server validates; its problems land on the input at their pointer, the others
 * above the form.
 *
 * @example
 * <SchemaForm id="scorer" schema={plugin.config_schema} value={config} onChange={setConfig} error={error} base="/config" />
 */
export function SchemaForm({ id, schema, value, onChange, error, base }: Props) {
  const problems = error instanceof ApiError ? error.fields.filter((p) => p.path === base || p.path.startsWith(base + '/')) : [];
  const placed = new Set(pointers(schema, schema, []).map((p) => base + p));
  const loose = problems.filter((p) => !placed.has(p.path));
  const at = (path: readonly string[]) => problems.filter((p) => p.path === base + pointer(path));
  return (
    <div className="schema-form">
      <AdminProblems id={`${id}-problems`} problems={loose} />
      <Node id={id} root={schema} schema={schema} path={[]} value={value} at={at}
        onChange={(path, v) => onChange(setIn(value, path, v))} />
    </div>
  );
}

/** pointers lists the pointers the form has an input or fieldset for. */
function pointers(schema: JsonSchema, root: JsonSchema, path: string[]): string[] {
  const s = resolveSchema(schema, root);
  if (schemaKind(s, root) !== 'object') return path.length > 0 ? [pointer(path)] : [];
  const props = (s['properties'] ?? {}) as Record<string, JsonSchema>;
  return [...(path.length > 0 ? [pointer(path)] : []), ...Object.entries(props).flatMap(([k, c]) => pointers(c, root, [...path, k]))];
}

interface NodeProps {
  id: string;
  /** inherited is the enclosing object's default for this member, shown when it has none of its own. */
  inherited?: unknown;
  root: JsonSchema;
  schema: JsonSchema;
  path: string[];
  value: unknown;
  at: (path: readonly string[]) => FieldProblem[];
  onChange: (path: string[], value: unknown) => void;
}

function Node({ id, inherited, root, schema, path, value, at, onChange }: NodeProps) {
  const { t } = useTranslation();
  const s = resolveSchema(schema, root);
  const kind = schemaKind(s, root);
  const name = path.at(-1) ?? '';
  const label = typeof s['title'] === 'string' && path.length > 0 ? s['title'] : name;
  const description = typeof s['description'] === 'string' ? s['description'] : '';
  const fallback = s['default'] ?? inherited;
  const inputId = `${id}${path.map((p) => '-' + p).join('')}`;
  const problems = at(path);
  const invalid = problems.length > 0;
  const describedBy = [description ? `${inputId}-hint` : '', invalid ? `${inputId}-problems` : ''].filter(Boolean).join(' ') || undefined;
  const hint = description ? (
    <small id={`${inputId}-hint`} className="hint">
      {description}
    </small>
  ) : null;
  const problemList = <AdminProblems id={`${inputId}-problems`} problems={problems} />;

  if (kind === 'object') {
    const props = (s['properties'] ?? {}) as Record<string, JsonSchema>;
    const obj = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    const defaults = fallback && typeof fallback === 'object' ? (fallback as Record<string, unknown>) : {};
    const children = Object.entries(props).map(([k, c]) => (
      <Node key={k} id={id} inherited={defaults[k]} root={root} schema={c} path={[...path, k]} value={obj[k]} at={at} onChange={onChange} />
    ));
    if (path.length === 0) return <>{children}</>;
    return (
      <fieldset className="schema-object" aria-describedby={describedBy}>
        <legend>{label}</legend>
        {hint}
        {problemList}
        {children}
      </fieldset>
    );
  }

  if (kind === 'enum_list') {
    const options = (resolveSchema(s['items'] as JsonSchema, root)['enum'] as unknown[]) ?? [];
    const chosen = Array.isArray(value) ? value : Array.isArray(fallback) ? fallback : [];
    return (
      <fieldset className="field schema-list" aria-describedby={describedBy}>
        <legend>{label}</legend>
        {hint}
        {options.map((o) => (
          <label key={String(o)} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(o)}
              onChange={(e) => onChange(path, e.target.checked ? [...chosen, o] : chosen.filter((x) => x !== o))}
            />
            {String(o)}
          </label>
        ))}
        {problemList}
      </fieldset>
    );
  }

  const common = {
    id: inputId,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy,
  };
  let input: React.JSX.Element;
  if (kind === 'enum' || kind === 'boolean') {
    const options = kind === 'enum' ? (s['enum'] as unknown[]) : [true, false];
    const index = value === undefined ? '' : String(options.findIndex((o) => o === value));
    input = (
      <select {...common} value={index} onChange={(e) => onChange(path, e.target.value === '' ? undefined : options[Number(e.target.value)])}>
        <option value="">{fallback === undefined ? t('admin.schema.unset') : t('admin.schema.default', { value: show(fallback, t) })}</option>
        {options.map((o, i) => (
          <option key={String(o)} value={String(i)}>
            {show(o, t)}
          </option>
        ))}
      </select>
    );
  } else if (kind === 'string_list') {
    const lines = Array.isArray(value) ? value.join('\n') : typeof value === 'string' ? value : '';
    input = (
      <textarea {...common} rows={3} value={lines} placeholder={Array.isArray(fallback) ? fallback.join('\n') : undefined}
        onChange={(e) => onChange(path, e.target.value === '' ? undefined : e.target.value.split('\n'))} />
    );
  } else if (kind === 'json') {
    const text = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
    input = (
      <textarea {...common} rows={3} value={text} placeholder={fallback === undefined ? undefined : JSON.stringify(fallback)}
        onChange={(e) => onChange(path, e.target.value === '' ? undefined : e.target.value)} />
    );
  } else {
    const numeric = kind === 'number' || kind === 'integer';
    input = (
      <input {...common} value={value === undefined ? '' : String(value)} inputMode={numeric ? 'decimal' : undefined}
        placeholder={fallback === undefined ? undefined : t('admin.schema.default', { value: show(fallback, t) })}
        onChange={(e) => onChange(path, e.target.value === '' ? undefined : e.target.value)} />
    );
  }
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      {input}
      {hint}
      {problemList}
    </div>
  );
}

function show(v: unknown, t: (key: 'admin.schema.yes' | 'admin.schema.no') => string): string {
  if (v === true) return t('admin.schema.yes');
  if (v === false) return t('admin.schema.no');
  return typeof v === 'string' ? v : JSON.stringify(v);
}
