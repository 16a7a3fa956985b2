import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, List, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { StageTag } from '../components/StageTag';
import { useMe } from '../features/auth/api';
import { useCycles } from '../features/cycles/api';
import { homeTodoQuery } from '../features/home/api';
import { TodoBoard } from '../features/home/components/TodoBoard';
import { OrgKindChart } from '../features/orgs/components/OrgKindChart';

/** A cycle is current while its half-year runs or ended less than half a year ago (its evaluation follows it). */
function isCurrent(periodEnd: string, today: Date): boolean {
  const since = new Date(today);
  since.setMonth(since.getMonth() - 6);
  return new Date(`${periodEnd}T23:59:59`) >= since;
}

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const cycles = useCycles();
  // Everyone but the integration account has a to-do list.
  const todo = useQuery({ ...homeTodoQuery(), enabled: me.data !== undefined && me.data.role !== 'integration' });
  const today = new Date();
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
      {me.data && me.data.role !== 'integration' && (
        <Col span={24}>
          <Card title={t('todo.title')}>
            <Typography.Paragraph type="secondary">{t('todo.hint')}</Typography.Paragraph>
            {todo.isError ? (
              <Alert
                type="error"
                showIcon
                message={t('todo.loadError')}
                action={
                  <Button size="small" onClick={() => void todo.refetch()}>
                    {t('todo.retry')}
                  </Button>
                }
              />
            ) : todo.data ? (
              <TodoBoard todo={todo.data} />
            ) : (
              <Skeleton active />
            )}
          </Card>
        </Col>
      )}
      {cycles.data && cycles.data.length > 0 && (
        <Col xs={24} xl={10}>
          <Card title={t('home.cycles')} data-testid="home-cycles">
            <Typography.Paragraph type="secondary">{t('home.cyclesHint')}</Typography.Paragraph>
            <List
              size="small"
              dataSource={cycles.data}
              renderItem={(cycle) => {
                const current = isCurrent(cycle.period_end, today);
                return (
                  <List.Item data-testid="home-cycle" data-current={current}>
                    <Space wrap size="small">
                      <Tag color={current ? 'green' : 'default'}>{t(current ? 'home.current' : 'home.past')}</Tag>
                      <Link to={`/cycles/${cycle.id}`}>{cycle.name}</Link>
                      <StageTag stage={cycle.stage} />
                    </Space>
                  </List.Item>
                );
              }}
            />
          </Card>
        </Col>
      )}
      <Col xs={24} xl={cycles.data && cycles.data.length > 0 ? 14 : 24}>
        <OrgKindChart />
      </Col>
    </Row>
  );
}
