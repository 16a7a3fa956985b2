import { useQuery } from '@tanstack/react-query';
import { Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';

import type { SyncRun, SyncRunQuery } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { formatDateTime } from '../../../lib/datetime';
import { syncRunsQuery } from '../api';

const STATUS_COLORS: Record<SyncRun['status'], string> = {
  running: 'processing',
  ok: 'success',
  partial: 'warning',
  failed: 'error',
};

interface SyncLogTableProps {
  query: SyncRunQuery;
  onPageChange: (offset: number, limit: number) => void;
}

/** Every push, pull and import: counts, lag behind the Sunshine system, and what failed. */
export function SyncLogTable({ query, onPageChange }: SyncLogTableProps) {
  const { t } = useTranslation();
  const runs = useQuery(syncRunsQuery(query));
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  if (runs.isError) return <ErrorResult error={runs.error} onRetry={() => void runs.refetch()} />;

  const count = (key: 'received' | 'created' | 'updated' | 'unchanged' | 'stale' | 'failed') => ({
    title: t(`petitions.sync.${key}`),
    dataIndex: key,
    render: (value: number) => (key === 'failed' && value > 0 ? <Typography.Text type="danger">{value}</Typography.Text> : value),
  });
  const columns: TableColumnsType<SyncRun> = [
    { title: t('petitions.sync.startedAt'), dataIndex: 'started_at', render: (v: string) => formatDateTime(v) },
    {
      title: t('petitions.sync.kind'),
      dataIndex: 'kind',
      render: (_, run) => (
        <span>
          {t(`petitions.syncKind.${run.kind}`)} {run.dry_run && <Tag>{t('petitions.sync.dryRun')}</Tag>}
        </span>
      ),
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      render: (_, run) => <Tag color={STATUS_COLORS[run.status]}>{t(`petitions.syncStatus.${run.status}`)}</Tag>,
    },
    { title: t('petitions.sync.file'), render: (_, run) => run.file_name ?? run.message_id ?? '' },
    count('received'),
    count('created'),
    count('updated'),
    count('unchanged'),
    count('stale'),
    count('failed'),
    {
      title: t('petitions.sync.lag'),
      dataIndex: 'lag_seconds',
      render: (value: number | null) => (value === null ? '—' : t('petitions.sync.lagSeconds', { seconds: value })),
    },
    {
      title: t('petitions.sync.error'),
      dataIndex: 'error',
      render: (value: string | null) =>
        value && (
          <Typography.Text type="danger" ellipsis={{ tooltip: value }} style={{ maxWidth: 280 }}>
            {value}
          </Typography.Text>
        ),
    },
  ];
  return (
    <Table<SyncRun>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={runs.data?.items}
      loading={runs.isFetching}
      scroll={{ x: 'max-content' }}
      pagination={{
        current: Math.floor(offset / limit) + 1,
        pageSize: limit,
        total: runs.data?.total ?? 0,
        showTotal: (total) => t('common.total', { count: total }),
        onChange: (page, pageSize) => onPageChange((page - 1) * pageSize, pageSize),
      }}
      data-testid="sync-log"
    />
  );
}
