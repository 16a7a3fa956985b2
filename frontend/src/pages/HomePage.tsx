import { Card, Col, Descriptions, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { useMe } from '../features/auth/api';
import { OrgKindChart } from '../features/orgs/components/OrgKindChart';

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Row gutter={[24, 24]}>
      <Col span={24}>
        <Card>
          <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="welcome">
            {t('home.welcome', { name: me.data?.full_name ?? '' })}
          </Typography.Title>
          <Typography.Paragraph>{t('home.intro')}</Typography.Paragraph>
          {me.data && (
            <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
              <Descriptions.Item label={t('home.orgName')}>{me.data.org_name}</Descriptions.Item>
              <Descriptions.Item label={t('home.role')}>{t(`roles.${me.data.role}`)}</Descriptions.Item>
            </Descriptions>
          )}
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        <OrgKindChart />
      </Col>
    </Row>
  );
}
