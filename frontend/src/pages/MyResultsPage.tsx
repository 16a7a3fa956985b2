import { Card, Empty, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { useMe } from '../features/auth/api';
import { OrgHistoryView } from '../features/results/components/History';

/** A secretary's own results across cycles: total and rank, flagged cycles marked. */
export default function MyResultsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const orgId = me.data?.org_id ?? null;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('results.history.mine', { org: me.data?.org_name ?? '' })}
      </Typography.Title>
      <Card extra={<Link to="/notices">{t('results.notices.mine')}</Link>}>
        {orgId === null ? <Empty description={t('results.history.noOrg')} /> : <OrgHistoryView orgId={orgId} />}
      </Card>
    </Space>
  );
}
