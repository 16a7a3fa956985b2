import type { TFunction } from 'i18next';
import { Card, Col, Collapse, Empty, Progress, Row, Space, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { LedgerBoard } from '../../../api/types';
import { formatRate } from './StatsView';
import { StatusTag } from './StatusTag';

type BoardItem = LedgerBoard['orgs'][number]['items'][number];

function percent(rate: string | null): number {
  return rate === null ? 0 : Math.round(Number(rate) * 1000) / 10;
}

/** The headline figures, in order: every item, each outcome (不予整改 among them), what is late, and the rate. */
export const BOARD_FIGURES = ['total', 'verified', 'in_progress', 'rejected', 'overdue'] as const;

/** A township's line: its items, verified, not to be rectified (when any) and overdue (when any). */
export function orgSummary(t: TFunction, figures: LedgerBoard['orgs'][number]['figures']): string {
  const parts = [`${t('ledger.public.items')} ${figures.total}`, `${t('ledger.stats.verified')} ${figures.verified}`];
  if (figures.rejected) parts.push(`${t('ledger.stats.rejected')} ${figures.rejected}`);
  if (figures.overdue) parts.push(`${t('ledger.stats.overdue')} ${figures.overdue}`);
  return parts.join(' · ');
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
        {BOARD_FIGURES.map((key) => (
          <Col key={key} xs={12} md={8} xl={4}>
            <Card size="small" data-testid={`board-${key}`}>
              <Statistic title={t(`ledger.stats.${key}`)} value={total[key]} />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={8} xl={4}>
          <Card size="small" data-testid="board-completion_rate">
            <Statistic title={t('ledger.stats.completion_rate')} value={formatRate(total.completion_rate)} />
          </Card>
        </Col>
      </Row>
      <Typography.Text type="secondary" data-testid="board-rate-note">
        {t('ledger.public.rateNote')}
      </Typography.Text>
      <Collapse
        items={board.orgs.map((row) => ({
          key: row.org.id,
          label: (
            <Space wrap>
              <Typography.Text strong>{row.org.name}</Typography.Text>
              <Typography.Text type="secondary">{orgSummary(t, row.figures)}</Typography.Text>
              <Progress
                percent={percent(row.figures.completion_rate)}
                // The same one decimal as the headline rate: "27.0%", never "27%" beside "34.1%".
                format={() => formatRate(row.figures.completion_rate)}
                aria-label={t('ledger.public.orgRate', { org: row.org.name })}
                size="small"
                style={{ width: 160, margin: 0 }}
              />
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
