import { useTranslation } from 'react-i18next';
import { ACTION_DOS, NODE_TYPES } from '../../core/flows/nodeTypes';
import type { ActionDo, NodeType } from '../../core/flows/types';

/** FlowPalette offers the step types (an action by what it does); a button adds one to the flow. */
export function FlowPalette({ onAdd }: { onAdd: (type: NodeType, action?: ActionDo) => void }) {
  const { t } = useTranslation();
  return (
    <nav className="designer-palette card" aria-label={t('automation.flows.palette.title')}>
      <h2>{t('automation.flows.palette.title')}</h2>
      <p className="hint">{t('automation.flows.palette.hint')}</p>
      <ul className="palette-list">
        {NODE_TYPES.filter((type) => type !== 'action').map((type) => (
          <li key={type}>
            <button type="button" className="palette-add" onClick={() => onAdd(type)}>
              {t('automation.flows.palette.add', { type: t(`automation.flows.types.${type}`) })}
            </button>
          </li>
        ))}
        {ACTION_DOS.map((act) => (
          <li key={act}>
            <button type="button" className="palette-add" onClick={() => onAdd('action', act)}>
              {t('automation.flows.palette.add', { type: t(`automation.flows.dos.${act}`) })}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
