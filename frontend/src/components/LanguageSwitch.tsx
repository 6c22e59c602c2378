import { useTranslation } from 'react-i18next';
import { LANGUAGE_KEY, LANGUAGES, isLanguage } from '../i18n/languages';

/**
 * LanguageSwitch changes the UI language at once and remembers the choice in this browser.
 *
 * @example
 * <LanguageSwitch />
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language-switch">
      <select
        aria-label={t('language.label')}
        value={i18n.language}
        onChange={(e) => {
          const lang = e.target.value;
          if (!isLanguage(lang)) return;
          localStorage.setItem(LANGUAGE_KEY, lang);
          document.documentElement.lang = lang;
          void i18n.changeLanguage(lang);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}
