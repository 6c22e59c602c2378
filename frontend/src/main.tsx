import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { Root } from './app/Root';
import { ApiClient } from './core/api/client';
import { createCsrfStore } from './core/api/csrfStore';
import { createI18n } from './i18n/createI18n';
import { LANGUAGE_KEY } from './i18n/languages';
import { pickLanguage } from './i18n/pickLanguage';
import './styles.css';

const language = pickLanguage(localStorage.getItem(LANGUAGE_KEY), navigator.languages);
document.documentElement.lang = language;
const api = new ApiClient({ csrf: createCsrfStore(localStorage) });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <Root api={api} i18n={createI18n(language)} />
    </BrowserRouter>
  </StrictMode>,
);
