import { useTranslation } from 'react-i18next';
import { describeError } from '../core/api/describeError';

/**
 * ErrorNotice says in the person's language what went wrong, as an alert that screen
 * readers announce.
 *
 * @example
 * {error ? <ErrorNotice error={error} /> : null}
 */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { key, values } = describeError(error);
  return (
    <p role="alert" className="notice notice-error">
      {t(key, values)}
    </p>
  );
}
