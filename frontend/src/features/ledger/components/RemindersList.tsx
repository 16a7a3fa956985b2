import { Card, Col, Empty, List, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { LedgerItem, LedgerReminders } from '../../../api/types';
import { Deadline } from './Deadline';
import { StatusTag } from './StatusTag';

function Items({ items }: { items: LedgerItem[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.noReminders')} />;
  return (
    <List
      size="small"
      dataSource={items}
      pagination={items.length > 10 ? { pageSize: 10, size: 'small' } : false}
      renderItem={(item) => (
        <List.Item key={item.id} extra={<StatusTag status={item.status} />}>
          <List.Item.Meta
            title={<Link to={`/ledger/items/${item.id}`}>{item.title}</Link>}
            description={
              <Typography.Text type="secondary">
                {item.org.name} · {item.owner?.full_name ?? '—'} · <Deadline item={item} />
              </Typography.Text>
            }
          />
        </List.Item>
      )}
    />
  );
}

/** What the organisation department should chase: overdue items, then those due soon. */
export function RemindersList({ reminders }: { reminders: LedgerReminders }) {
  const { t } = useTranslation();
  return (
    <Row gutter={[24, 24]} data-testid="ledger-reminders">
      <Col xs={24} xl={12}>
        <Card title={t('ledger.overdueList', { count: reminders.overdue.length })}>
          <Items items={reminders.overdue} />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('ledger.dueSoonList', { days: reminders.due_soon_days, count: reminders.due_soon.length })}>
          <Items items={reminders.due_soon} />
        </Card>
      </Col>
    </Row>
  );
}
