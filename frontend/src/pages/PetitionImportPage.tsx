import { Card, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { ImportPanel } from '../features/petitions/components/ImportPanel';

export default function PetitionImportPage() {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('petitions.importTitle')}
      </Typography.Title>
      <Card>
        <ImportPanel />
      </Card>
    </Space>
  );
}
