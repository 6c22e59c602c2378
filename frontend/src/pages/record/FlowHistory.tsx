import { useTranslation } from 'react-i18next';
import type { FlowStep, RecordFlows, Task } from '../../core/api/types';
import { formatDateTime } from '../../core/format/formatDateTime';
import { formatDuration } from '../../core/format/formatDuration';
import { localized } from '../../core/forms/localized';
import { actorLabel } from '../../core/tasks/actorLabel';
import { useSession } from '../../session/SessionContext';

/** NS_PER_MS converts the server's durations (nanoseconds) to milliseconds. */
const NS_PER_MS = 1e6;

/** DECISIONS are the task outcomes that, recorded without a task, say how a node was left. */
const DECISIONS = new Set(['approve', 'reject', 'complete', 'return']);

/**
 * FlowHistory tells what a record's flows did: each instance with where it waits, then
 * every step — which node, what happened, who did it, when, and how long the node had
 * waited for it. Nodes are named as their tasks name them, else by their id.
 */
export function FlowHistory({ flows, tasks }: { flows: RecordFlows; tasks: Task[] }) {
  const { t, i18n } = useTranslation();
  const me = useSession().user?.id ?? '';
  const lang = i18n.language;
  const instances = flows.instances ?? [];
  const steps = flows.history ?? [];
  if (instances.length === 0 && steps.length === 0) return <p>{t('record.noFlows')}</p>;

  const names = new Map(tasks.filter((x) => x.name).map((x) => [`${x.flow}/${x.node}`, x.name]));
  const nodeName = (flow: string, node: string) => localized(names.get(`${flow}/${node}`), lang, node);
  const actionText = (s: FlowStep) => {
    const text = i18n.exists(`history.${s.action}`) ? t(`history.${s.action}` as 'history.started') : s.action;
    // A decision is recorded twice: on the task (who decided), then as the node being left.
    return !s.task && DECISIONS.has(s.action) ? t('history.leftBy', { how: text }) : text;
  };
  const actors = { you: t('actor.you'), system: t('actor.system'), flow: t('actor.flow') };

  return (
    <>
      <ul className="instances">
        {instances.map((inst) => (
          <li key={inst.id}>
            {t('record.instance', { flow: inst.flow, version: inst.version, status: t(`record.instanceStatus.${inst.status}`) })}
            {inst.positions && inst.positions.length > 0 ? (
              <>
                {' · '}
                {t('record.waitingAt', { nodes: inst.positions.map((p) => nodeName(inst.flow, p.node)).join(', ') })}
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {steps.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('record.flows')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('record.step')}</th>
                <th scope="col">{t('record.action')}</th>
                <th scope="col">{t('record.who')}</th>
                <th scope="col">{t('record.when')}</th>
                <th scope="col">{t('record.took')}</th>
                <th scope="col">{t('record.comment')}</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((s, i) => (
                <tr key={`${s.instance}-${i}`}>
                  <td title={s.node}>{s.node ? (s.node_name ? localized(s.node_name, lang, s.node) : nodeName(s.flow, s.node)) : s.task}</td>
                  <td>{actionText(s)}</td>
                  <td>{actorLabel(s.actor, me, actors, flows.people)}</td>
                  <td>{formatDateTime(s.at, lang)}</td>
                  <td className="num">{s.duration > 0 ? formatDuration(s.duration / NS_PER_MS, lang) : '—'}</td>
                  <td className="wrap">{s.comment ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
