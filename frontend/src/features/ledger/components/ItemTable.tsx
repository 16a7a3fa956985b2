import { useQuery } from '@tanstack/react-query';
import { Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { LedgerItem, LedgerItemQuery } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { itemListQuery } from '../api';
import { Deadline } from './Deadline';
import { StatusTag } from './StatusTag';

interface ItemTableProps {
  query: LedgerItemQuery;
  onPageChange: (offset: number, limit: number) => void;
}

/** One page of ledger items, soonest deadline first, each linking to its own page. */
export function ItemTable({ query, onPageChange }: ItemTableProps) {
  const { t } = useTranslation();
  const items = useQuery(itemListQuery(query));
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  if (items.isError) return <ErrorResult error={items.error} onRetry={() => void items.refetch()} />;

  const columns: TableColumnsType<LedgerItem> = [
    { title: '#', dataIndex: 'id', width: 70 },
    {
      title: t('ledger.itemTitle'),
      dataIndex: 'title',
      render: (value: string, row) => <Link to={`/ledger/items/${row.id}`}>{value}</Link>,
    },
    { title: t('ledger.org'), render: (_, row) => row.org.name },
    { title: t('ledger.category'), render: (_, row) => row.category ?? t('ledger.uncategorised') },
    {
      title: t('ledger.measures'),
      dataIndex: 'measures',
      render: (value: string | null) => (
        <Typography.Text ellipsis={{ tooltip: value }} style={{ maxWidth: 240 }} type={value ? undefined : 'secondary'}>
          {value ?? t('ledger.noMeasures')}
        </Typography.Text>
      ),
    },
    { title: t('ledger.owner'), render: (_, row) => row.owner?.full_name ?? '—' },
    {
      title: t('ledger.statusLabel'),
      render: (_, row) => <StatusTag status={row.status} overdue={row.overdue} dueSoon={row.due_soon} />,
    },
    { title: t('ledger.dueDate'), render: (_, row) => <Deadline item={row} /> },
  ];

  return (
    <Table<LedgerItem>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items.data?.items}
      loading={items.isFetching}
      scroll={{ x: 'max-content' }}
      pagination={{
        current: Math.floor(offset / limit) + 1,
        pageSize: limit,
        total: items.data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (total) => t('common.total', { count: total }),
        onChange: (page, pageSize) => onPageChange((page - 1) * pageSize, pageSize),
      }}
      data-testid="ledger-table"
    />
  );
}
