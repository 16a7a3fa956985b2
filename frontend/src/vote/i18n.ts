/** i18next for the phone ballot page with the vote strings only, so the page stays small. */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

import { DEFAULT_LANGUAGE, LANGUAGES, storedLanguage } from '../i18n/languages';
import voteEnUS from '../i18n/vote.en-US.json';
import voteZhCN from '../i18n/vote.zh-CN.json';

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: voteZhCN }, 'en-US': { translation: voteEnUS } },
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export default i18n;
