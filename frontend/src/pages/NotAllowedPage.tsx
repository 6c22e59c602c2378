import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/**
 * NotAllowedPage answers the address of a page the person's role may not use: said
 * plainly, instead of a page whose every request the server would refuse.
 */
export function NotAllowedPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('notAllowed.title')}</h1>
      <p className="notice">{t('notAllowed.body')}</p>
      <Link to="/">{t('notAllowed.home')}</Link>
    </section>
  );
}
