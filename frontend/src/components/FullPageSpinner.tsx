import { Flex, Spin } from 'antd';
import { useTranslation } from 'react-i18next';

export function FullPageSpinner() {
  const { t } = useTranslation();
  return (
    <Flex align="center" justify="center" style={{ minHeight: 240, height: '100%' }} role="status" aria-live="polite">
      <Spin size="large" tip={t('common.loading')}>
        <div style={{ padding: 48 }} />
      </Spin>
    </Flex>
  );
}
