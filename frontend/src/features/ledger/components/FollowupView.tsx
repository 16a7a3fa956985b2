import { Descriptions, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { FollowupReport } from '../../../api/types';
import { formatRate } from './StatsView';
import { StatusTag } from './StatusTag';

type Row = FollowupReport['items'][number];

/** The year-end follow-up report of one township, as a page. */
export function FollowupView({ report }: { report: FollowupReport }) {
  const { t } = useTranslation();
  const f = report.figures;
  return (
    <div data-testid="followup-view">
      <Typography.Title level={4}>{t('ledger.followupFor', { org: report.org.name, cycle: report.cycle.name })}</Typography.Title>
      <Descriptions size="small" column={{ xs: 2, md: 4 }} bordered style={{ marginBottom: 16 }}>
        {(['total', 'verified', 'done', 'in_progress', 'open', 'rejected', 'overdue'] as const).map((key) => (
          <Descriptions.Item key={key} label={t(`ledger.stats.${key}`)}>
            {f[key]}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t('ledger.stats.completion_rate')}>{formatRate(f.completion_rate)}</Descriptions.Item>
      </Descriptions>
      <Table<Row>
        rowKey="id"
        size="small"
        dataSource={report.items}
        pagination={false}
        // A minimum width, not max-content: long measures and notes wrap instead of pushing the last columns off the page.
        scroll={{ x: 900 }}
        columns={[
          { title: t('ledger.category'), render: (_, row) => row.category ?? t('ledger.uncategorised') },
          { title: t('ledger.itemTitle'), dataIndex: 'title' },
          { title: t('ledger.measures'), render: (_, row) => row.measures ?? '—' },
          { title: t('ledger.statusLabel'), render: (_, row) => <StatusTag status={row.status} overdue={row.overdue} /> },
          { title: t('ledger.dueDate'), dataIndex: 'due_date', render: (value: string) => <span style={{ whiteSpace: 'nowrap' }}>{value}</span> },
          { title: t('ledger.latestNote'), render: (_, row) => row.latest_note ?? '—' },
        ]}
        data-testid="followup-items"
      />
    </div>
  );
}
