import { PaperClipOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { ReportStatus, ReportSummary } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { formatDateTime } from '../../../lib/datetime';
import { reportListQuery } from '../api';
import { ReportStatusTag } from './ReportStatusTag';
import { ReviewActions } from './ReviewActions';

interface ReportReviewTableProps {
  cycleId: number;
  /** The host may accept and return reports (in preparation). */
  canReview: boolean;
  status?: ReportStatus[];
  onChanged?: () => void;
}

/** A cycle's reports in speaking order, with the host's accept and return actions. */
export function ReportReviewTable({ cycleId, canReview, status, onChanged }: ReportReviewTableProps) {
  const { t } = useTranslation();
  const reports = useQuery(reportListQuery({ cycle_id: cycleId, status, limit: 500 }));
  if (reports.isError) return <ErrorResult error={reports.error} onRetry={() => void reports.refetch()} />;

  const columns: TableColumnsType<ReportSummary> = [
    { title: t('reports.position'), dataIndex: 'position', width: 64 },
    { title: t('reports.org'), key: 'org', render: (_, r) => r.org.name },
    { title: t('reports.title'), dataIndex: 'title', render: (title: string, r) => <Link to={`/reports/${r.id}`}>{title}</Link> },
    {
      title: t('common.status'),
      dataIndex: 'status',
      render: (s: ReportStatus, r) => <ReportStatusTag status={s} late={r.late} />,
    },
    { title: t('reports.submittedAt'), dataIndex: 'submitted_at', render: (at: string | null) => formatDateTime(at) },
    {
      title: t('reports.materials'),
      key: 'materials',
      render: (_, r) => (
        <Space size={8}>
          {r.attachment_count > 0 && (
            <span title={t('reports.attachments')}>
              <PaperClipOutlined /> {r.attachment_count}
            </span>
          )}
          {r.has_video && <VideoCameraOutlined title={t('reports.video')} />}
        </Space>
      ),
    },
    ...(canReview
      ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, r: ReportSummary) => <ReviewActions report={r} onChanged={onChanged} /> }]
      : []),
  ];

  return (
    <Table<ReportSummary>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={reports.data?.items}
      loading={reports.isFetching}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="report-table"
    />
  );
}
