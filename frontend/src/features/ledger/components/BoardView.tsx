import { Card, Col, Collapse, Empty, Progress, Row, Space, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { LedgerBoard } from '../../../api/types';
import { StatusTag } from './StatusTag';

type BoardItem = LedgerBoard['orgs'][number]['items'][number];

function percent(rate: string | null): number {
  return rate === null ? 0 : Math.round(Number(rate) * 1000) / 10;
}

/** The public progress board: counts per township and the items the org department chose to show, no personal data. */
export function BoardView({ board }: { board: LedgerBoard }) {
  const { t } = useTranslation();
  if (!board.cycle) return <Empty description={t('ledger.public.none')} data-testid="board-empty" />;
  const total = board.total;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="ledger-board">
      <Typography.Text type="secondary">{t('ledger.public.subtitle', { cycle: board.cycle.name, date: board.as_of })}</Typography.Text>
      <Row gutter={[16, 16]}>
        {(['total', 'verified', 'in_progress', 'overdue'] as const).map((key) => (
          <Col key={key} xs={12} md={6}>
            <Card size="small" data-testid={`board-${key}`}>
              <Statistic title={t(`ledger.stats.${key}`)} value={total[key]} />
            </Card>
          </Col>
        ))}
      </Row>
      <Collapse
        items={board.orgs.map((row) => ({
          key: row.org.id,
          label: (
            <Space wrap>
              <Typography.Text strong>{row.org.name}</Typography.Text>
              <Typography.Text type="secondary">
                {t('ledger.public.items')} {row.figures.total} · {t('ledger.stats.verified')} {row.figures.verified}
                {row.figures.overdue ? ` · ${t('ledger.stats.overdue')} ${row.figures.overdue}` : ''}
              </Typography.Text>
              <Progress percent={percent(row.figures.completion_rate)} size="small" style={{ width: 160, margin: 0 }} />
            </Space>
          ),
          children: (
            <Table<BoardItem>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={row.items}
              locale={{ emptyText: t('ledger.public.noItems') }}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('ledger.category'), render: (_, item) => item.category ?? t('ledger.uncategorised') },
                { title: t('ledger.public.itemTitle'), dataIndex: 'title' },
                { title: t('ledger.measures'), render: (_, item) => item.measures ?? '—' },
                { title: t('ledger.statusLabel'), render: (_, item) => <StatusTag status={item.status} overdue={item.overdue} /> },
                { title: t('ledger.dueDate'), dataIndex: 'due_date' },
              ]}
            />
          ),
        }))}
        data-testid="board-orgs"
      />
      <Typography.Text type="secondary">{t('ledger.public.noPersonalData')}</Typography.Text>
    </Space>
  );
}
