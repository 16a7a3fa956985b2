import { PaperClipOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { ReportStatus, ReportSummary } from '../../../api/types';
import { BatchConfirm, batchRefusal } from '../../../components/BatchConfirm';
import { ErrorResult } from '../../../components/ErrorResult';
import { formatDateTime } from '../../../lib/datetime';
import { reportListQuery, useAcceptReports } from '../api';
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
  const [selected, setSelected] = useState<number[]>([]);
  if (reports.isError) return <ErrorResult error={reports.error} onRetry={() => void reports.refetch()} />;
  const rows = reports.data?.items ?? [];
  // Only a submitted report can be accepted: the others are not offered for selection.
  const chosen = rows.filter((r) => r.status === 'submitted' && selected.includes(r.id));

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
    <Space direction="vertical" style={{ width: '100%' }}>
      {canReview && (
        <BatchAcceptBar
          chosen={chosen}
          onDone={() => {
            setSelected([]);
            onChanged?.();
          }}
          onClear={() => setSelected([])}
        />
      )}
      <Table<ReportSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={reports.data?.items}
        loading={reports.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowSelection={
          canReview
            ? {
                selectedRowKeys: chosen.map((r) => r.id),
                onChange: (keys) => setSelected(keys as number[]),
                getCheckboxProps: (r) => ({
                  disabled: r.status !== 'submitted',
                  title: r.status !== 'submitted' ? t('batch.reports.onlySubmitted') : undefined,
                }),
              }
            : undefined
        }
        data-testid="report-table"
      />
    </Space>
  );
}

interface BatchAcceptBarProps {
  chosen: ReportSummary[];
  onDone: () => void;
  onClear: () => void;
}

/** 批量通过: the selected submitted reports, accepted in one request after a confirmation naming each unit. */
export function BatchAcceptBar({ chosen, onDone, onClear }: BatchAcceptBarProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const accept = useAcceptReports();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<ReturnType<typeof batchRefusal> | null>(null);

  const submit = () => {
    setError(null);
    accept.mutate(
      chosen.map((r) => r.id),
      {
        onSuccess: (accepted) => {
          void message.success(t('batch.reports.done', { count: accepted.length }));
          setOpen(false);
          onDone();
        },
        onError: (cause) => setError(batchRefusal(t, cause)),
      },
    );
  };

  return (
    <Space wrap data-testid="report-batch">
      <Button type="primary" disabled={chosen.length === 0} onClick={() => setOpen(true)} data-testid="report-batch-accept">
        {t('batch.reports.accept', { count: chosen.length })}
      </Button>
      {chosen.length > 0 && (
        <>
          <Typography.Text type="secondary">{t('batch.selected', { count: chosen.length })}</Typography.Text>
          <Button type="link" onClick={onClear}>
            {t('batch.clear')}
          </Button>
        </>
      )}
      <BatchConfirm
        open={open}
        title={t('batch.reports.title')}
        intro={t('batch.reports.intro', { count: chosen.length })}
        lines={chosen.map((r) => `${r.org.name} — ${r.title}`)}
        okText={t('batch.reports.confirm', { count: chosen.length })}
        onOk={submit}
        onCancel={() => {
          setOpen(false);
          setError(null);
        }}
        loading={accept.isPending}
        error={error}
        testId="report-batch-confirm"
      />
    </Space>
  );
}
