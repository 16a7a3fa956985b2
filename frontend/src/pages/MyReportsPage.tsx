import { Card, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { MyReportsTable } from '../features/reports/components/MyReportsTable';

export default function MyReportsPage() {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('reports.mine')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('reports.mineHelp')}</Typography.Paragraph>
      <Card>
        <MyReportsTable />
      </Card>
    </Space>
  );
}
