import { useQuery } from '@tanstack/react-query';
import { Grid, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { LedgerItem, LedgerItemQuery } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { itemListQuery } from '../api';
import { Deadline } from './Deadline';
import { ItemCards } from './ItemCards';
import { StatusTag } from './StatusTag';

interface ItemTableProps {
  query: LedgerItemQuery;
  onPageChange: (offset: number, limit: number) => void;
  /** On a phone, cards (problem, status, deadline, steps) instead of a table cut to its first columns. */
  cardsOnPhone?: boolean;
  /** Row selection for batch actions: the ids selected, and what to do when the selection changes. */
  selection?: { ids: number[]; onChange: (items: LedgerItem[]) => void };
}

// Short cells keep to one line, so the problem's title is the column that wraps.
const NOWRAP = { whiteSpace: 'nowrap' } as const;

/** Below this width the table scrolls inside itself; above it the columns share the width and wrap. */
export const ITEM_TABLE_MIN_WIDTH = 900;

/** One page of ledger items, soonest deadline first, each linking to its own page. */
export function ItemTable({ query, onPageChange, cardsOnPhone = false, selection }: ItemTableProps) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const items = useQuery(itemListQuery(query));
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  if (items.isError) return <ErrorResult error={items.error} onRetry={() => void items.refetch()} />;

  const columns: TableColumnsType<LedgerItem> = [
    { title: '#', dataIndex: 'id', width: 56 },
    {
      title: t('ledger.itemTitle'),
      dataIndex: 'title',
      render: (value: string, row) => <Link to={`/ledger/items/${row.id}`}>{value}</Link>,
    },
    { title: t('ledger.org'), render: (_, row) => <span style={NOWRAP}>{row.org.name}</span> },
    { title: t('ledger.category'), render: (_, row) => <span style={NOWRAP}>{row.category ?? t('ledger.uncategorised')}</span> },
    {
      title: t('ledger.measures'),
      dataIndex: 'measures',
      render: (value: string | null) => (
        <Typography.Text ellipsis={{ tooltip: value }} style={{ maxWidth: 180 }} type={value ? undefined : 'secondary'}>
          {value ?? t('ledger.noMeasures')}
        </Typography.Text>
      ),
    },
    { title: t('ledger.owner'), render: (_, row) => <span style={NOWRAP}>{row.owner?.full_name ?? '—'}</span> },
    {
      title: t('ledger.statusLabel'),
      render: (_, row) => <StatusTag status={row.status} overdue={row.overdue} dueSoon={row.due_soon} />,
    },
    { title: t('ledger.dueDate'), render: (_, row) => <Deadline item={row} stacked /> },
  ];
  const pagination = {
    current: Math.floor(offset / limit) + 1,
    pageSize: limit,
    total: items.data?.total ?? 0,
    showSizeChanger: true,
    showTotal: (total: number) => t('common.total', { count: total }),
    onChange: (page: number, pageSize: number) => onPageChange((page - 1) * pageSize, pageSize),
  };
  // useBreakpoint answers {} before its first measure: a table until the screen is known to be narrow.
  if (cardsOnPhone && screens.md === false) return <ItemCards items={items.data?.items} loading={items.isFetching} pagination={pagination} />;

  return (
    <Table<LedgerItem>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items.data?.items}
      loading={items.isFetching}
      scroll={{ x: ITEM_TABLE_MIN_WIDTH }}
      pagination={pagination}
      rowSelection={
        selection
          ? {
              selectedRowKeys: selection.ids,
              onChange: (_keys, rows) => selection.onChange(rows),
              columnWidth: 36,
            }
          : undefined
      }
      data-testid="ledger-table"
    />
  );
}
