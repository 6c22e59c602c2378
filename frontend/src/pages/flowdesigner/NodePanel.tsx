import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Json } from '../../core/designer/types';
import { newId } from '../../core/designer/newId';
import { problemsUnder } from '../../core/flows/problemsUnder';
import type { Item } from '../../core/flows/types';
import { ActionFields } from './ActionFields';
import { EdgeFields } from './EdgeFields';
import { HumanFields } from './HumanFields';
import { LocalizedInput, Problems, SelectInput, TextInput } from './Inputs';
import { usePanel } from './panelContext';
import { stepLabel } from './stepLabel';

/**
 * NodePanel edits one step: its id (renamed everywhere the flow names it) and name, what
 * its type has, the connections leaving it (a gateway's conditions, an approval's
 * decisions, right here), connecting it to another step, removing it.
 */
export function NodePanel({ node }: { node: Item }) {
  const { t, i18n } = useTranslation();
  const { design, problems, edit, select } = usePanel();
  const [target, setTarget] = useState('');
  const raw = node.raw;
  const own = problems.nodes[node.handle];
  const id = `node-${node.handle}`;
  const type = raw['type'];
  const set = (path: ReadonlyArray<string | number>, value: Json | undefined) => edit({ kind: 'setNode', handle: node.handle, path, value });
  const label = stepLabel(raw, i18n.language, t);
  const leaving = design.edges.filter((e) => e.raw['from'] === raw['id']);
  const others = design.nodes.filter((n) => n !== node && n.raw['type'] !== 'start');
  const nameOf = (nodeId: Json | undefined) => {
    const n = design.nodes.find((x) => x.raw['id'] === nodeId);
    return n ? stepLabel(n.raw, i18n.language, t).name : String(nodeId ?? '');
  };

  return (
    <>
      <h2>{t('automation.flows.panel.step', { type: label.typeLabel })}</h2>
      <Problems id={`${id}-problems`} problems={own?.['']} />
      <TextInput
        id={`${id}-id`}
        label={t('automation.flows.panel.id')}
        value={raw['id']}
        onChange={(v) => edit({ kind: 'renameNode', handle: node.handle, id: v ?? '' })}
        problems={own?.['id']}
        hint={t('automation.flows.panel.idHint')}
        keepEmpty
        code
      />
      <LocalizedInput id={`${id}-name`} label={t('automation.flows.panel.name')} value={raw['name']} onChange={(v) => set(['name'], v)} problems={problemsUnder(own, 'name')} />
      {type === 'approval' || type === 'task' ? <HumanFields node={node} /> : null}
      {type === 'action' ? <ActionFields node={node} /> : null}
      {type === 'timer' ? <TimerFields node={node} /> : null}
      {type === 'end' ? (
        <TextInput id={`${id}-outcome`} label={t('automation.flows.panel.outcome')} value={raw['outcome']} onChange={(v) => set(['outcome'], v)} problems={own?.['outcome']} hint={t('automation.flows.panel.outcomeHint')} code />
      ) : null}
      {type !== 'end' ? (
        <section className="prop-group leaving" aria-label={t('automation.flows.panel.leaving')}>
          <h3>{t('automation.flows.panel.leaving')}</h3>
          {leaving.length === 0 ? <p className="meta">{t('automation.flows.panel.noLeaving')}</p> : null}
          <ul className="leaving-list">
            {leaving.map((e) => (
              <li key={e.handle}>
                <button type="button" className="link" onClick={() => select({ kind: 'edge', handle: e.handle })}>
                  {t('automation.flows.panel.editEdge', { to: nameOf(e.raw['to']) })}
                </button>
                <EdgeFields edge={e} />
              </li>
            ))}
          </ul>
          <div className="connect-row">
            <SelectInput
              id={`${id}-connect`}
              label={t('automation.flows.panel.connectTo')}
              value={target}
              empty={t('automation.flows.panel.choose')}
              choices={others.map((n) => ({ value: String(n.raw['id'] ?? ''), label: stepLabel(n.raw, i18n.language, t).name }))}
              onChange={(v) => setTarget(v ?? '')}
            />
            <button
              type="button"
              disabled={target === ''}
              onClick={() => {
                edit({ kind: 'connect', handle: newId(), from: String(raw['id'] ?? ''), to: target });
                setTarget('');
              }}
            >
              {t('automation.flows.panel.connect')}
            </button>
          </div>
        </section>
      ) : null}
      <button
        type="button"
        className="danger"
        onClick={() => {
          edit({ kind: 'removeNode', handle: node.handle });
          select({ kind: 'flow' });
        }}
      >
        {t('automation.flows.panel.removeStep')}
      </button>
    </>
  );
}

/** TimerFields edits how long a timer waits: a while after it is reached, or until a date in a field (moved, at a time of day). */
function TimerFields({ node }: { node: Item }) {
  const { t } = useTranslation();
  const { problems, edit, fields } = usePanel();
  const raw = node.raw;
  const own = problems.nodes[node.handle];
  const id = `node-${node.handle}`;
  const set = (path: ReadonlyArray<string | number>, value: Json | undefined) => edit({ kind: 'setNode', handle: node.handle, path, value });
  const mode = raw['field'] !== undefined && raw['after'] === undefined ? 'field' : 'after';
  return (
    <>
      <SelectInput
        id={`${id}-timer`}
        label={t('automation.flows.panel.timerMode')}
        value={mode}
        choices={(['after', 'field'] as const).map((m) => ({ value: m, label: t(`automation.flows.panel.timerModes.${m}`) }))}
        onChange={(m) => {
          if (m === mode) return;
          if (m === 'field') {
            set(['after'], undefined);
            set(['field'], '');
          } else {
            for (const k of ['field', 'offset', 'at']) set([k], undefined);
            set(['after'], '1d');
          }
        }}
      />
      {mode === 'after' ? (
        <TextInput id={`${id}-after`} label={t('automation.flows.panel.after')} value={raw['after']} onChange={(v) => set(['after'], v ?? '')} problems={own?.['after']} hint={t('automation.flows.panel.afterHint')} keepEmpty code />
      ) : (
        <>
          <SelectInput id={`${id}-field`} label={t('automation.flows.panel.timerField')} value={raw['field']} choices={fields} empty={t('automation.flows.panel.choose')} onChange={(v) => set(['field'], v ?? '')} problems={own?.['field']} />
          <TextInput id={`${id}-offset`} label={t('automation.flows.panel.offset')} value={raw['offset']} onChange={(v) => set(['offset'], v)} problems={own?.['offset']} hint={t('automation.flows.panel.offsetHint')} code />
          <TextInput id={`${id}-at`} label={t('automation.flows.panel.at')} value={raw['at']} onChange={(v) => set(['at'], v)} problems={own?.['at']} code />
        </>
      )}
    </>
  );
}
