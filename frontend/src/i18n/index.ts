import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

import batchEnUS from './batch.en-US.json';
import batchZhCN from './batch.zh-CN.json';
import documentsEnUS from './documents.en-US.json';
import documentsZhCN from './documents.zh-CN.json';
import enUS from './en-US.json';
import homeEnUS from './home.en-US.json';
import homeZhCN from './home.zh-CN.json';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, rememberLanguage, storedLanguage, type Language } from './languages';
import ledgerEnUS from './ledger.en-US.json';
import ledgerZhCN from './ledger.zh-CN.json';
import meetingsEnUS from './meetings.en-US.json';
import meetingsZhCN from './meetings.zh-CN.json';
import paperEnUS from './paper.en-US.json';
import paperZhCN from './paper.zh-CN.json';
import petitionsEnUS from './petitions.en-US.json';
import petitionsZhCN from './petitions.zh-CN.json';
import resultsEnUS from './results.en-US.json';
import resultsZhCN from './results.zh-CN.json';
import supervisionEnUS from './supervision.en-US.json';
import supervisionZhCN from './supervision.zh-CN.json';
import targetsEnUS from './targets.en-US.json';
import targetsZhCN from './targets.zh-CN.json';
import vetofactsEnUS from './vetofacts.en-US.json';
import vetofactsZhCN from './vetofacts.zh-CN.json';
import voteEnUS from './vote.en-US.json';
import voteZhCN from './vote.zh-CN.json';
import zhCN from './zh-CN.json';

export { DEFAULT_LANGUAGE, isLanguage, LANGUAGE_KEY, LANGUAGES, type Language } from './languages';

export const resources = {
  'zh-CN': { translation: { ...zhCN, ...homeZhCN, ...meetingsZhCN, ...resultsZhCN, ...voteZhCN, ...ledgerZhCN, ...batchZhCN, ...documentsZhCN, ...paperZhCN, ...petitionsZhCN, ...targetsZhCN, ...supervisionZhCN, ...vetofactsZhCN } },
  'en-US': { translation: { ...enUS, ...homeEnUS, ...meetingsEnUS, ...resultsEnUS, ...voteEnUS, ...ledgerEnUS, ...batchEnUS, ...documentsEnUS, ...paperEnUS, ...petitionsEnUS, ...targetsEnUS, ...supervisionEnUS, ...vetofactsEnUS } },
} as const;

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

/** Switch the UI language and remember it for the next visit. */
export async function setLanguage(language: Language): Promise<void> {
  rememberLanguage(language);
  await i18n.changeLanguage(language);
}

i18n.on('languageChanged', (language) => {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
});

void i18n.use(initReactI18next).init({
  resources,
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  // Resources are bundled, so initialise synchronously: the first render is already translated.
  initAsync: false,
});

export default i18n;
