import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Col, Empty, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { LEDGER_STATUSES, type LedgerItemQuery, type LedgerStatus } from '../../../api/types';
import { itemListQuery } from '../api';
import { StatusTag } from './StatusTag';

const PER_COLUMN = 30;

function Column({ status, query }: { status: LedgerStatus; query: LedgerItemQuery }) {
  const { t } = useTranslation();
  const items = useQuery(itemListQuery({ ...query, status: [status], limit: PER_COLUMN, offset: 0 }));
  const total = items.data?.total ?? 0;
  const shown = items.data?.items ?? [];
  return (
    <Card
      size="small"
      title={
        <Space>
          <StatusTag status={status} />
          <Badge count={total} showZero overflowCount={9999} color="#8c8c8c" />
        </Space>
      }
      loading={items.isLoading}
      styles={{ body: { maxHeight: 640, overflowY: 'auto', padding: 8 } }}
      data-testid={`kanban-${status}`}
    >
      {shown.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.empty')} />
      ) : (
        <Space direction="vertical" size={8} style={{ width: '100%' }}>
          {shown.map((item) => (
            <Card key={item.id} size="small" hoverable data-testid="kanban-card">
              <Link to={`/ledger/items/${item.id}`}>{item.title}</Link>
              <br />
              <Typography.Text type="secondary">
                {item.org.name} · {item.category ?? t('ledger.uncategorised')}
              </Typography.Text>
              <br />
              <Typography.Text type={item.overdue ? 'danger' : 'secondary'}>
                {t('ledger.dueDate')} {item.due_date}
                {item.overdue ? ` · ${t('ledger.overdue')}` : ''}
              </Typography.Text>
            </Card>
          ))}
          {total > shown.length && <Typography.Text type="secondary">{t('ledger.more', { count: total - shown.length })}</Typography.Text>}
        </Space>
      )}
    </Card>
  );
}

/** The ledger by status: one column per status with its count and its soonest items. */
export function Kanban({ query }: { query: LedgerItemQuery }) {
  const filters = { ...query };
  delete filters.status;
  return (
    <Row gutter={[12, 12]} wrap data-testid="ledger-kanban">
      {LEDGER_STATUSES.map((status) => (
        <Col key={status} flex="1 1 220px">
          <Column status={status} query={filters} />
        </Col>
      ))}
    </Row>
  );
}
