import type { FieldProblem } from '../../core/api/apiError';
import type { PublishedVersion } from '../../core/api/designerEndpoints';
import type { JsonObject } from '../../core/designer/types';
import { apiError, type Handler } from '../../../test/fakeServer';

// A stand-in for the definition routes of one flow or rule set in component tests,
// keeping the draft and versions the way server/handlers_definitions.go does and
// checking a saved draft with the given check (the real compiler runs in the e2e test).

export interface DefinitionServerState {
  draft: JsonObject | null;
  versions: Array<PublishedVersion & { body: JsonObject }>;
}

export function definitionServer(kind: 'flow' | 'rule', key: string, start: { draft?: JsonObject; versions?: JsonObject[] }, check: (body: JsonObject) => FieldProblem[] = () => []) {
  const base = `/api/v1/t/demo/definitions/${kind}/${key}`;
  const version = (n: number, body: JsonObject): PublishedVersion & { body: JsonObject } => ({ kind, key, version: n, note: '', author: 'u-1', published_at: `2026-04-0${n}T08:00:00Z`, hash: `h${n}`, body });
  const state: DefinitionServerState = { draft: start.draft ?? null, versions: (start.versions ?? []).map((b, i) => version(i + 1, b)) };
  const draftOf = (body: JsonObject) => {
    const problems = check(body);
    return { kind, key, body, hash: 'h', problems, valid: problems.length === 0, saved_at: '2026-05-01T08:00:00Z', saved_by: 'u-1', base_version: state.versions.length };
  };
  const missing = () => apiError(404, 'not_found', 'No such form, definition or version.');
  const routes: Record<string, Handler> = {
    [`GET ${base}`]: () => (state.draft ? { body: draftOf(state.draft) } : missing()),
    [`PUT ${base}`]: (req) => {
      state.draft = req.body as JsonObject;
      return { body: draftOf(state.draft) };
    },
    [`POST ${base}/publish`]: () => {
      if (!state.draft) return missing();
      const problems = check(state.draft);
      if (problems.length > 0) return apiError(422, 'invalid_definition', 'The definition is not valid; see fields.', { fields: problems });
      const last = state.versions.at(-1);
      if (last && JSON.stringify(last.body) === JSON.stringify(state.draft)) return apiError(409, 'unchanged', 'Nothing to publish.');
      const v = version(state.versions.length + 1, state.draft);
      state.versions.push(v);
      const { body: _b, ...summary } = v;
      return { status: 201, body: summary };
    },
    [`GET ${base}/versions`]: () => ({ body: { versions: state.versions.map(({ body: _b, ...v }) => v) } }),
  };
  for (let n = 1; n <= 9; n++) routes[`GET ${base}/versions/${n}`] = () => (state.versions[n - 1] ? { body: state.versions[n - 1] } : missing());
  return { routes, state };
}
