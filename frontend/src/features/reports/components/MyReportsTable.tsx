import { useQuery } from '@tanstack/react-query';
import { Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { ReportStatus, ReportSummary } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { formatDateTime } from '../../../lib/datetime';
import { reportListQuery } from '../api';
import { ReportStatusTag } from './ReportStatusTag';

/** The reports the user may read; for a secretary, their organisation's, one per cycle. */
export function MyReportsTable() {
  const { t } = useTranslation();
  const reports = useQuery(reportListQuery({ limit: 100 }));
  if (reports.isError) return <ErrorResult error={reports.error} onRetry={() => void reports.refetch()} />;
  const columns: TableColumnsType<ReportSummary> = [
    { title: t('reports.cycle'), dataIndex: 'cycle_name' },
    { title: t('reports.title'), dataIndex: 'title', render: (title: string, r) => <Link to={`/reports/${r.id}`}>{title}</Link> },
    { title: t('common.status'), dataIndex: 'status', render: (s: ReportStatus, r) => <ReportStatusTag status={s} late={r.late} /> },
    { title: t('reports.submittedAt'), dataIndex: 'submitted_at', render: (at: string | null) => formatDateTime(at) },
  ];
  return (
    <Table<ReportSummary>
      rowKey="id"
      columns={columns}
      dataSource={reports.data?.items}
      loading={reports.isFetching}
      pagination={false}
      data-testid="my-reports"
    />
  );
}
