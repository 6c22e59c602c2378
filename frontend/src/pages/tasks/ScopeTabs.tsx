import { useTranslation } from 'react-i18next';
import type { TaskScope } from '../../core/api/types';

/** ScopeTabs switches the inbox between my tasks, my team's and (when allowed) all. */
export function ScopeTabs({ scope, allowAll, onChange }: { scope: TaskScope; allowAll: boolean; onChange: (s: TaskScope) => void }) {
  const { t } = useTranslation();
  const scopes: TaskScope[] = allowAll ? ['mine', 'team', 'all'] : ['mine', 'team'];
  return (
    <div role="tablist" aria-label={t('tasks.scopes')} className="tabs">
      {scopes.map((s) => (
        <button
          key={s}
          type="button"
          role="tab"
          aria-selected={s === scope}
          aria-controls="task-list"
          className={s === scope ? 'tab active' : 'tab'}
          onClick={() => onChange(s)}
        >
          {t(`tasks.scope.${s}`)}
        </button>
      ))}
    </div>
  );
}
