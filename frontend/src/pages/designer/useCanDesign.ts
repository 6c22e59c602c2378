import { mayUse } from '../../core/can/mayUse';
import { useSession } from '../../session/SessionContext';

/**
 * useCanDesign tells whether to offer the designers (forms, flows, rules, dashboards) to
 * the signed-in person: whether the session's can map lets them save definitions. The
 * server still decides on every save.
 *
 * @example
 * const canDesign = useCanDesign();
 * {canDesign ? <Link to="/designer/new">{t('designer.newForm')}</Link> : null}
 */
export function useCanDesign(): boolean {
  return mayUse(useSession().user, 'designer');
}
