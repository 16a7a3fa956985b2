import { useQuery } from '@tanstack/react-query';
import { Progress, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { CycleStage, CycleSummary } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { StageTag } from '../../../components/StageTag';
import { cycleListQuery } from '../api';

const PAGE_SIZE = 20;

/** The cycles the user takes part in, newest period first. */
export function CycleTable({ stage, q }: { stage?: CycleStage; q?: string }) {
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  const cycles = useQuery(cycleListQuery({ stage, q: q || undefined, limit: PAGE_SIZE, offset }));
  if (cycles.isError) return <ErrorResult error={cycles.error} onRetry={() => void cycles.refetch()} />;

  const columns: TableColumnsType<CycleSummary> = [
    { title: t('cycles.name'), dataIndex: 'name', render: (name: string, c) => <Link to={`/cycles/${c.id}`}>{name}</Link> },
    { title: t('cycles.period'), key: 'period', render: (_, c) => `${c.period_start} ~ ${c.period_end}` },
    { title: t('cycles.host'), key: 'host', render: (_, c) => c.host_org.name },
    { title: t('cycles.stage'), dataIndex: 'stage', render: (stage: CycleStage) => <StageTag stage={stage} /> },
    {
      title: t('cycles.reports'),
      key: 'reports',
      width: 200,
      render: (_, c) => (
        <Progress
          size="small"
          percent={c.report_counts.total ? Math.round((c.report_counts.accepted / c.report_counts.total) * 100) : 0}
          success={{ percent: 0 }}
          format={() => t('cycles.acceptedOf', { accepted: c.report_counts.accepted, total: c.report_counts.total })}
        />
      ),
    },
  ];

  return (
    <Table<CycleSummary>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={cycles.data?.items}
      loading={cycles.isFetching}
      scroll={{ x: 'max-content' }}
      pagination={{
        current: Math.floor(offset / PAGE_SIZE) + 1,
        pageSize: PAGE_SIZE,
        total: cycles.data?.total ?? 0,
        showTotal: (total) => t('common.total', { count: total }),
        onChange: (page) => setOffset((page - 1) * PAGE_SIZE),
      }}
      data-testid="cycle-table"
    />
  );
}
