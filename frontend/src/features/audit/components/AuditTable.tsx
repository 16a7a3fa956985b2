import { useQuery } from '@tanstack/react-query';
import { Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';

import type { AuditEntry, AuditQuery } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { formatDateTime } from '../../../lib/datetime';
import { auditListQuery } from '../api';
import { actionLabel, actorLabel, entityLabel, objectName } from '../labels';

interface AuditTableProps {
  query: AuditQuery;
  onPageChange: (offset: number, limit: number) => void;
}

const short = (hash: string) => (hash.length > 12 ? `${hash.slice(0, 12)}…` : hash);

/** Audit entries, newest first as the API returns them; each row expands to its data. */
export function AuditTable({ query, onPageChange }: AuditTableProps) {
  const { t } = useTranslation();
  const entries = useQuery(auditListQuery(query));
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;

  if (entries.isError) return <ErrorResult error={entries.error} onRetry={() => void entries.refetch()} />;

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.id'), dataIndex: 'id', width: 80 },
    { title: t('audit.at'), dataIndex: 'at', render: (at: string) => formatDateTime(at), width: 180 },
    {
      title: t('audit.actor'),
      dataIndex: 'actor_name',
      render: (_, entry) => actorLabel(t, entry),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      render: (action: string) => <span title={action}>{actionLabel(t, action)}</span>,
    },
    {
      title: t('audit.object'),
      key: 'object',
      render: (_, entry) => {
        const name = objectName(entry.data);
        return (
          <span title={entry.entity_type}>
            {entityLabel(t, entry.entity_type)}
            {name ? ` · ${name}` : ''}
            {entry.entity_id ? ` · ${t('audit.entityNumber', { id: entry.entity_id })}` : ''}
          </span>
        );
      },
    },
    {
      title: t('audit.hash'),
      dataIndex: 'hash',
      render: (hash: string) => (
        <Typography.Text type="secondary" copyable={{ text: hash }} title={hash} style={{ fontFamily: 'monospace' }}>
          {short(hash)}
        </Typography.Text>
      ),
    },
  ];

  return (
    <Table<AuditEntry>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={entries.data?.items}
      loading={entries.isFetching}
      scroll={{ x: 'max-content' }}
      expandable={{
        expandedRowRender: (entry) => (
          <div>
            <Typography.Paragraph type="secondary" style={{ fontFamily: 'monospace', marginBottom: 8 }}>
              {t('audit.prevHash')}: {entry.prev_hash}
              <br />
              {t('audit.hash')}: {entry.hash}
            </Typography.Paragraph>
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(entry.data, null, 2)}</pre>
          </div>
        ),
      }}
      pagination={{
        current: Math.floor(offset / limit) + 1,
        pageSize: limit,
        total: entries.data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (total) => t('common.total', { count: total }),
        onChange: (page, pageSize) => onPageChange((page - 1) * pageSize, pageSize),
      }}
      data-testid="audit-table"
    />
  );
}
