import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** NotFoundPage answers a URL the app has no page for. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <Link to="/">{t('notFound.home')}</Link>
    </section>
  );
}
