import { useCallback, useEffect, useReducer, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../app/ApiContext';
import { ApiError, type FieldProblem } from '../core/api/apiError';
import type { ApiClient } from '../core/api/client';
import { getDraft, getVersion, listVersions, publish, rollback, saveDraft, type DefinitionKind } from '../core/api/definitionEndpoints';
import type { PublishedVersion } from '../core/api/designerEndpoints';
import type { JsonObject } from '../core/designer/types';
import { undoable, type Undoable, type UndoAction } from '../core/flows/undoable';
import { useLoad, type Load } from './useLoad';

/** LoadedDefinition is what an editor opens with: the draft's body and problems, or the latest version's body. */
export interface LoadedDefinition {
  body: JsonObject;
  problems: FieldProblem[];
}

/**
 * loadDefinition reads the draft of a definition, or when it has none its latest
 * published version; with neither it rejects with the draft's 404, unless empty gives
 * the body a new definition starts from.
 */
export async function loadDefinition(api: ApiClient, tenant: string, kind: DefinitionKind, key: string, empty?: () => JsonObject): Promise<LoadedDefinition> {
  try {
    const draft = await getDraft(api, tenant, kind, key);
    return { body: draft.body, problems: draft.problems ?? [] };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    const last = (await listVersions(api, tenant, kind, key)).at(-1);
    if (!last) {
      if (empty) return { body: empty(), problems: [] };
      throw err;
    }
    return { body: (await getVersion(api, tenant, kind, key, last.version)).body ?? {}, problems: [] };
  }
}

/**
 * DefinitionModel is how one kind of definition is edited: read from and written to
 * its JSON body, changed by pure edits, and the server's problems placed on it and
 * cleared by the edits that touch them. Give a module-level value: the editor's
 * callbacks stay the same while it does.
 */
export interface DefinitionModel<D, E, P> {
  fromBody(body: JsonObject): D;
  toBody(design: D): JsonObject;
  apply(design: D, edit: E): D;
  locate(problems: FieldProblem[], design: D): P;
  clear(problems: P, edit: E): P;
}

/** StatusWords names the catalogue entries of an editor's status line (ready, problems, published…). */
export type StatusWords = 'designer.status' | 'automation.flows.status' | 'automation.rules.status' | 'dashdesigner.status';

/** ConfirmWords is the question asked before a rollback. */
export type ConfirmWords = 'designer.versions.rollbackConfirm' | 'dashdesigner.versions.rollbackConfirm';

/** EditorBusy is what the editor waits for, if anything. */
export type EditorBusy = null | 'save' | 'publish' | 'versions';

/** DefinitionEditorOpts configures useDefinitionEditor. */
export interface DefinitionEditorOpts<D, E, P> {
  /** kind and definitionKey name the definition (a rule set's key is its form's). */
  kind: DefinitionKind;
  definitionKey: string;
  tenant: string;
  /** initial is what the editor opens with (loadDefinition). */
  initial: LoadedDefinition;
  model: DefinitionModel<D, E, P>;
  /** words is where the status line's sentences are in the catalogue. */
  words: StatusWords;
  /** confirm is the rollback question. */
  confirm: ConfirmWords;
  /** refusedCodes are the error codes whose field problems are placed on the design; default invalid_definition. */
  refusedCodes?: readonly string[];
  /** onLoad runs when a version replaces the design (opened or rolled back): reset the selection there. */
  onLoad?: (design: D) => void;
}

/** SaveResult says whether the saved draft would publish and how many problems stop it. */
export interface SaveResult {
  valid: boolean;
  count: number;
}

/** DefinitionEditor is the state and the commands of one open definition editor. */
export interface DefinitionEditor<D, E, P> {
  design: D;
  edit: (edit: E) => void;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
  problems: P;
  /** dirty is true while the design differs from the draft last saved. */
  dirty: boolean;
  status: string;
  error: unknown;
  busy: EditorBusy;
  note: string;
  setNote: (note: string) => void;
  showVersions: boolean;
  toggleVersions: () => void;
  versions: Load<PublishedVersion[]>;
  /** latest is the current published version, if any. */
  latest: number | undefined;
  save: () => Promise<SaveResult | null>;
  onSave: () => Promise<void>;
  onPublish: () => Promise<void>;
  open: (version: number) => Promise<void>;
  rollback: (to: number) => Promise<void>;
  /** placeError places a refusal's problems on the design as it was (snapshot), or shows the error. */
  placeError: (err: unknown, snapshot: D) => void;
}

const REFUSED = ['invalid_definition'] as const;

/**
 * useDefinitionEditor holds what every definition editor shares: the design with undo
 * and redo, the server's problems by JSON pointer, the status line, saving the draft,
 * publishing with a note, the versions with open and rollback, and a warning before
 * leaving with unsaved changes.
 *
 * @example
 * const editor = useDefinitionEditor({ kind: 'flow', definitionKey: key, tenant, initial, model: flowModel, words: 'automation.flows.status', confirm: 'designer.versions.rollbackConfirm' });
 * editor.edit({ kind: 'removeNode', handle });
 */
export function useDefinitionEditor<D, E, P>(opts: DefinitionEditorOpts<D, E, P>): DefinitionEditor<D, E, P> {
  const { kind, definitionKey: key, tenant, initial, model, words, confirm, refusedCodes = REFUSED, onLoad } = opts;
  const { t } = useTranslation();
  const api = useApi();
  const reduce = useCallback(
    (h: Undoable<D>, a: UndoAction<D> | { type: 'edit'; edit: E }): Undoable<D> => (a.type === 'edit' ? undoable(h, { type: 'set', value: model.apply(h.present, a.edit) }) : undoable(h, a)),
    [model],
  );
  const [h, dispatch] = useReducer(reduce, initial, (l) => ({ past: [], present: model.fromBody(l.body), future: [] }));
  const design = h.present;
  const [saved, setSaved] = useState<D>(design);
  const [problems, setProblems] = useState<P>(() => model.locate(initial.problems, design));
  const [busy, setBusy] = useState<EditorBusy>(null);
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState(() => (initial.problems.length > 0 ? t(`${words}.loadedProblems`, { count: initial.problems.length }) : ''));
  const [note, setNote] = useState('');
  const [showVersions, setShowVersions] = useState(false);
  const versions = useLoad(() => listVersions(api, tenant, kind, key), [api, tenant, kind, key]);
  const dirty = design !== saved;

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const edit = useCallback(
    (e: E) => {
      dispatch({ type: 'edit', edit: e });
      setProblems((p) => model.clear(p, e));
    },
    [model],
  );

  const placeError = (err: unknown, snapshot: D) => {
    if (err instanceof ApiError && err.fields.length > 0 && refusedCodes.includes(err.code)) {
      setProblems(model.locate(err.fields, snapshot));
      setStatus(t(`${words}.refused`, { count: err.fields.length }));
      return;
    }
    setError(err);
  };

  /** save stores the design as the draft; the answer's problems land where they are about. */
  const save = async (): Promise<SaveResult | null> => {
    const snapshot = design;
    setError(undefined);
    try {
      const draft = await saveDraft(api, tenant, kind, key, model.toBody(snapshot));
      const found = draft.problems ?? [];
      setSaved(snapshot);
      setProblems(model.locate(found, snapshot));
      setStatus(found.length > 0 ? t(`${words}.problems`, { count: found.length }) : t(`${words}.ready`));
      return { valid: draft.valid && found.length === 0, count: found.length };
    } catch (err) {
      placeError(err, snapshot);
      return null;
    }
  };

  const onSave = async () => {
    setBusy('save');
    await save();
    setBusy(null);
  };

  const onPublish = async () => {
    setBusy('publish');
    const snapshot = design;
    const result = await save();
    if (result && !result.valid) setStatus(t(`${words}.refused`, { count: result.count }));
    if (result?.valid) {
      try {
        const v = await publish(api, tenant, kind, key, note.trim());
        setStatus(t(`${words}.published`, { version: v.version }));
        setNote('');
        versions.reload();
      } catch (err) {
        if (err instanceof ApiError && err.code === 'unchanged') setStatus(t(`${words}.unchanged`));
        else placeError(err, snapshot);
      }
    }
    setBusy(null);
  };

  const loadBody = (body: JsonObject): D => {
    const next = model.fromBody(body);
    dispatch({ type: 'load', value: next });
    setProblems(model.locate([], next));
    onLoad?.(next);
    return next;
  };

  const open = async (version: number) => {
    setBusy('versions');
    setError(undefined);
    try {
      loadBody((await getVersion(api, tenant, kind, key, version)).body ?? {});
      setStatus(t(`${words}.opened`, { version }));
    } catch (err) {
      setError(err);
    }
    setBusy(null);
  };

  const rollbackTo = async (to: number) => {
    if (!window.confirm(t(confirm, { version: to }))) return;
    setBusy('versions');
    setError(undefined);
    try {
      const v = await rollback(api, tenant, kind, key, to, '');
      const body = (await getVersion(api, tenant, kind, key, v.version)).body ?? {};
      await saveDraft(api, tenant, kind, key, body);
      setSaved(loadBody(body));
      setStatus(t(`${words}.rolledBack`, { version: v.version, to }));
      versions.reload();
    } catch (err) {
      setError(err);
    }
    setBusy(null);
  };

  return {
    design,
    edit,
    undo: () => dispatch({ type: 'undo' }),
    redo: () => dispatch({ type: 'redo' }),
    canUndo: h.past.length > 0,
    canRedo: h.future.length > 0,
    problems,
    dirty,
    status,
    error,
    busy,
    note,
    setNote,
    showVersions,
    toggleVersions: () => setShowVersions(!showVersions),
    versions,
    latest: versions.data?.at(-1)?.version,
    save,
    onSave,
    onPublish,
    open,
    rollback: rollbackTo,
    placeError,
  };
}
