import { GlobalOutlined } from '@ant-design/icons';
import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';

import { currentLanguage, isLanguage, LANGUAGES, setLanguage } from '../i18n';

/** 中文 / English, remembered in localStorage. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const value = isLanguage(i18n.language) ? i18n.language : currentLanguage();
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
      <GlobalOutlined aria-hidden />
      <Segmented
        size="small"
        aria-label={t('header.language')}
        value={value}
        options={LANGUAGES.map((language) => ({ value: language, label: t(`language.${language}`) }))}
        onChange={(next) => {
          if (isLanguage(next)) void setLanguage(next);
        }}
        data-testid="language-switch"
      />
    </span>
  );
}
