import type { FieldProblem } from '../../core/api/apiError';
import type { PublishedVersion } from '../../core/api/designerEndpoints';
import type { JsonObject } from '../../core/designer/types';
import { apiError, type Handler } from '../../../test/fakeServer';

// A stand-in for the definition routes in component tests: it keeps one form's draft
// and versions the way server/handlers_definitions.go does, and checks a saved draft
// with the given check (the real compiler runs in the end-to-end test).

export interface DesignerServerState {
  draft: JsonObject | null;
  versions: Array<PublishedVersion & { body: JsonObject }>;
}

/** designerServer returns routes for GET/PUT the draft, publish, versions and rollback of form key. */
export function designerServer(key: string, start: { draft?: JsonObject; versions?: JsonObject[] }, check: (body: JsonObject) => FieldProblem[] = () => []) {
  const base = `/api/v1/t/demo/definitions/form/${key}`;
  const state: DesignerServerState = {
    draft: start.draft ?? null,
    versions: (start.versions ?? []).map((body, i) => version(key, i + 1, body)),
  };
  const draftOf = (body: JsonObject) => {
    const problems = check(body);
    return { kind: 'form', key, body, hash: 'h', problems, valid: problems.length === 0, saved_at: '2026-05-01T08:00:00Z', saved_by: 'u-1', base_version: state.versions.length };
  };
  const publish = (body: JsonObject, note: string, rollbackOf?: number) => {
    const last = state.versions.at(-1);
    if (last && JSON.stringify(last.body) === JSON.stringify(body)) return apiError(409, 'unchanged', 'The draft is identical to the current published version; nothing to publish.');
    const v = { ...version(key, state.versions.length + 1, body), note, ...(rollbackOf ? { rollback_of: rollbackOf } : {}) };
    state.versions.push(v);
    const { body: _omit, ...summary } = v;
    return { status: 201, body: summary };
  };
  const routes: Record<string, Handler> = {
    [`GET ${base}`]: () => (state.draft ? { body: draftOf(state.draft) } : apiError(404, 'not_found', 'No such form, definition or version.')),
    [`PUT ${base}`]: (req) => {
      state.draft = req.body as JsonObject;
      return { body: draftOf(state.draft) };
    },
    [`POST ${base}/publish`]: (req) => {
      if (!state.draft) return apiError(404, 'not_found', 'No such form, definition or version.');
      const problems = check(state.draft);
      if (problems.length > 0) return apiError(422, 'invalid_definition', 'The definition is not valid; see fields.', { fields: problems });
      return publish(state.draft, (req.body as { note?: string } | undefined)?.note ?? '');
    },
    [`GET ${base}/versions`]: () => ({ body: { versions: state.versions.map(({ body: _b, ...v }) => v) } }),
    [`POST ${base}/rollback`]: (req) => {
      const to = (req.body as { to: number }).to;
      const old = state.versions[to - 1];
      return old ? publish(old.body, '', to) : apiError(404, 'not_found', 'No such form, definition or version.');
    },
  };
  // GET …/versions/{n} for every n the test may ask.
  for (let n = 1; n <= 9; n++) {
    routes[`GET ${base}/versions/${n}`] = () => {
      const v = state.versions[n - 1];
      return v ? { body: v } : apiError(404, 'not_found', 'No such form, definition or version.');
    };
  }
  return { routes, state };
}

function version(key: string, n: number, body: JsonObject): PublishedVersion & { body: JsonObject } {
  return { kind: 'form', key, version: n, note: '', author: 'u-1', published_at: `2026-04-0${n}T08:00:00Z`, hash: `h${n}`, body };
}
