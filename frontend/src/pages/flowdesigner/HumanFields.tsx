import { useTranslation } from 'react-i18next';
import { isObject } from '../../core/designer/isObject';
import type { Json, JsonObject } from '../../core/designer/types';
import { problemsUnder } from '../../core/flows/problemsUnder';
import type { Item } from '../../core/flows/types';
import { FieldListInput } from './FieldListInput';
import { CheckInput, Problems, SelectInput, TextInput } from './Inputs';
import { usePanel } from './panelContext';

const CANDIDATE_KINDS = ['role', 'user', 'field', 'manager'] as const;

/**
 * HumanFields edits what an approval or task step has: who may act (roles, users, the
 * user in a field, the submitter's manager), or-sign or countersign, the fields the
 * assignee may change, the time limit and what happens then, and the record fields the
 * decision is stamped into.
 */
export function HumanFields({ node }: { node: Item }) {
  const { t } = useTranslation();
  const { problems, edit, fields, roles } = usePanel();
  const raw = node.raw;
  const own = problems.nodes[node.handle];
  const id = `node-${node.handle}`;
  const approval = raw['type'] === 'approval';
  const set = (path: ReadonlyArray<string | number>, value: Json | undefined) => edit({ kind: 'setNode', handle: node.handle, path, value });
  const candidates = Array.isArray(raw['candidates']) ? raw['candidates'] : [];
  const sla = isObject(raw['sla']) ? raw['sla'] : undefined;
  const stamp = isObject(raw['stamp']) ? raw['stamp'] : undefined;
  const fieldChoices = fields;
  const decisions = approval ? (['approve', 'reject'] as const) : (['complete'] as const);

  return (
    <>
      <fieldset className="prop-group" aria-describedby={own?.['candidates'] ? `${id}-candidates-problems` : undefined}>
        <legend>{t('automation.flows.panel.candidates')}</legend>
        <datalist id={`${id}-roles`}>
          {roles.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
        {candidates.map((c, i) => {
          const cand: JsonObject = isObject(c) ? c : {};
          const kind = CANDIDATE_KINDS.find((k) => k in cand) ?? 'role';
          const n = i + 1;
          const cid = `${id}-candidates-${i}`;
          return (
            <div className="candidate" key={i}>
              <SelectInput
                id={`${cid}-kind`}
                label={t('automation.flows.panel.candidateKind', { n })}
                value={kind}
                choices={CANDIDATE_KINDS.map((k) => ({ value: k, label: t(`automation.flows.panel.candidateKinds.${k}`) }))}
                onChange={(k) => set(['candidates', i], k === 'manager' ? { manager: true } : { [k ?? 'role']: '' })}
              />
              {kind === 'field' ? (
                <SelectInput
                  id={`${cid}-value`}
                  label={t('automation.flows.panel.candidateValue', { n })}
                  value={cand['field']}
                  choices={fieldChoices}
                  empty={t('automation.flows.panel.choose')}
                  onChange={(v) => set(['candidates', i, 'field'], v ?? '')}
                  problems={problemsUnder(own, `candidates/${i}`)}
                />
              ) : kind !== 'manager' ? (
                <TextInput
                  id={`${cid}-value`}
                  label={t('automation.flows.panel.candidateValue', { n })}
                  value={cand[kind]}
                  onChange={(v) => set(['candidates', i, kind], v ?? '')}
                  problems={problemsUnder(own, `candidates/${i}`)}
                  keepEmpty
                  {...(kind === 'role' ? { list: `${id}-roles` } : {})}
                />
              ) : (
                <Problems id={`${cid}-problems`} problems={problemsUnder(own, `candidates/${i}`)} />
              )}
              <button type="button" className="link" onClick={() => set(['candidates', i], undefined)}>
                {t('automation.flows.panel.removeCandidate', { n })}
              </button>
            </div>
          );
        })}
        <button type="button" onClick={() => set(['candidates', candidates.length], { role: '' })}>
          {t('automation.flows.panel.addCandidate')}
        </button>
        <Problems id={`${id}-candidates-problems`} problems={own?.['candidates']} />
      </fieldset>

      {approval || raw['mode'] !== undefined ? (
        <SelectInput
          id={`${id}-mode`}
          label={t('automation.flows.panel.mode')}
          value={raw['mode'] ?? 'any'}
          choices={(approval ? (['any', 'all'] as const) : (['any'] as const)).map((m) => ({ value: m, label: t(`automation.flows.panel.modes.${m}`) }))}
          onChange={(v) => set(['mode'], v)}
          problems={own?.['mode']}
        />
      ) : null}

      <FieldListInput id={`${id}-editable`} label={t('automation.flows.panel.editable')} value={raw['editable']} choices={fieldChoices} onChange={(v) => set(['editable'], v)} problems={problemsUnder(own, 'editable')} />

      <fieldset className="prop-group">
        <legend>{t('automation.flows.panel.sla')}</legend>
        <CheckInput
          id={`${id}-sla-on`}
          label={t('automation.flows.panel.hasSla')}
          checked={sla !== undefined}
          onChange={(on) => set(['sla'], on ? { after: '48h', action: 'escalate', to: { role: '' } } : undefined)}
          problems={own?.['sla']}
        />
        {sla ? (
          <>
            <TextInput id={`${id}-sla-after`} label={t('automation.flows.panel.after')} value={sla['after']} onChange={(v) => set(['sla', 'after'], v ?? '')} problems={own?.['sla/after']} hint={t('automation.flows.panel.afterHint')} keepEmpty />
            <SelectInput
              id={`${id}-sla-action`}
              label={t('automation.flows.panel.slaAction')}
              value={sla['action']}
              choices={(approval ? (['escalate', 'reassign', 'auto_approve', 'auto_reject'] as const) : (['escalate', 'reassign'] as const)).map((a) => ({
                value: a,
                label: t(`automation.flows.panel.slaActions.${a}`),
              }))}
              onChange={(a) => {
                const to = isObject(sla['to']) ? sla['to'] : { role: '' };
                const next: JsonObject = { ...sla, action: a ?? 'escalate' };
                if (a === 'escalate') next['to'] = { role: typeof to['role'] === 'string' ? to['role'] : '' };
                else if (a === 'reassign') next['to'] = to;
                else delete next['to'];
                set(['sla'], next);
              }}
              problems={own?.['sla/action']}
            />
            {sla['action'] === 'escalate' || sla['action'] === 'reassign' || sla['to'] !== undefined ? (
              <SlaTarget node={node} sla={sla} />
            ) : null}
          </>
        ) : null}
      </fieldset>

      <fieldset className="prop-group">
        <legend>{t('automation.flows.panel.stamp')}</legend>
        {(['decided_by', 'decided_on'] as const).map((member) => (
          <SelectInput
            key={member}
            id={`${id}-stamp-${member}`}
            label={t(member === 'decided_by' ? 'automation.flows.panel.decidedBy' : 'automation.flows.panel.decidedOn')}
            value={stamp?.[member]}
            choices={fieldChoices}
            empty={t('automation.flows.panel.none')}
            onChange={(v) => setStamp(set, stamp, member, v)}
            problems={own?.[`stamp/${member}`]}
          />
        ))}
        {stamp ? (
          <fieldset className="prop-group inline-checks">
            <legend>{t('automation.flows.panel.stampOn')}</legend>
            {decisions.map((d) => {
              const on = Array.isArray(stamp['on']) ? stamp['on'] : [];
              return (
                <CheckInput
                  key={d}
                  id={`${id}-stamp-on-${d}`}
                  label={t(`automation.flows.panel.decisions.${d}`)}
                  checked={on.includes(d)}
                  onChange={(checked) => {
                    const next = checked ? [...on, d] : on.filter((x) => x !== d);
                    set(['stamp', 'on'], next.length > 0 ? next : undefined);
                  }}
                />
              );
            })}
            <Problems id={`${id}-stamp-on-problems`} problems={problemsUnder(own, 'stamp/on')} />
          </fieldset>
        ) : null}
        <Problems id={`${id}-stamp-problems`} problems={own?.['stamp']} />
      </fieldset>
    </>
  );
}

/** setStamp sets one stamp field; a stamp left with no field goes altogether. */
function setStamp(set: (p: ReadonlyArray<string | number>, v: Json | undefined) => void, stamp: JsonObject | undefined, member: string, value: string | undefined) {
  const next: JsonObject = { ...(stamp ?? {}) };
  if (value === undefined) delete next[member];
  else next[member] = value;
  if (typeof next['decided_by'] !== 'string' && typeof next['decided_on'] !== 'string') set(['stamp'], undefined);
  else if (stamp) set(['stamp', member], value);
  else set(['stamp'], next);
}

/** SlaTarget says whom a timed-out task goes to: a role (escalate) or a role or user (reassign). */
function SlaTarget({ node, sla }: { node: Item; sla: JsonObject }) {
  const { t } = useTranslation();
  const { problems, edit } = usePanel();
  const own = problems.nodes[node.handle];
  const id = `node-${node.handle}-sla-to`;
  const to = isObject(sla['to']) ? sla['to'] : {};
  const kind = 'user' in to ? 'user' : 'role';
  const set = (value: Json | undefined) => edit({ kind: 'setNode', handle: node.handle, path: ['sla', 'to'], value });
  return (
    <>
      {sla['action'] === 'reassign' ? (
        <SelectInput
          id={`${id}-kind`}
          label={t('automation.flows.panel.target')}
          value={kind}
          choices={(['role', 'user'] as const).map((k) => ({ value: k, label: t(`automation.flows.panel.targetKinds.${k}`) }))}
          onChange={(k) => set({ [k ?? 'role']: '' })}
        />
      ) : null}
      <TextInput
        id={`${id}-value`}
        label={`${t('automation.flows.panel.target')} (${t(`automation.flows.panel.targetKinds.${kind}`)})`}
        value={to[kind]}
        onChange={(v) => set({ [kind]: v ?? '' })}
        problems={problemsUnder(own, 'sla/to')}
        keepEmpty
        {...(kind === 'role' ? { list: `node-${node.handle}-roles` } : {})}
      />
    </>
  );
}
