import { useQuery } from '@tanstack/react-query';
import { Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { CaseQuery, CaseRead } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { caseListQuery } from '../api';
import { StatusTag } from './StatusTag';

interface CaseTableProps {
  query: CaseQuery;
  onPageChange: (offset: number, limit: number) => void;
}

/** One page of cases, newest first, each linking to its own page. */
export function CaseTable({ query, onPageChange }: CaseTableProps) {
  const { t } = useTranslation();
  const cases = useQuery(caseListQuery(query));
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  if (cases.isError) return <ErrorResult error={cases.error} onRetry={() => void cases.refetch()} />;

  const columns: TableColumnsType<CaseRead> = [
    {
      title: t('petitions.externalId'),
      dataIndex: 'external_id',
      render: (value: string, row) => <Link to={`/petitions/cases/${row.id}`}>{value}</Link>,
    },
    { title: t('petitions.township'), render: (_, row) => row.org?.name ?? '' },
    { title: t('petitions.department'), render: (_, row) => row.department?.name ?? '' },
    { title: t('petitions.category'), dataIndex: 'category' },
    {
      title: t('petitions.summary'),
      dataIndex: 'summary',
      render: (value: string) => (
        <Typography.Text ellipsis={{ tooltip: value }} style={{ maxWidth: 200 }}>
          {value}
        </Typography.Text>
      ),
    },
    { title: t('petitions.petitioner'), dataIndex: 'petitioner_name' },
    { title: t('petitions.receivedDate'), dataIndex: 'received_date' },
    { title: t('common.status'), dataIndex: 'status', render: (_, row) => <StatusTag status={row.status} /> },
    { title: t('petitions.stageLabel'), dataIndex: 'stage', render: (_, row) => t(`petitions.stage.${row.stage}`) },
    {
      title: t('petitions.dueDate'),
      dataIndex: 'due_date',
      render: (_, row) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {row.due_date ?? ''} {row.overdue && <Tag color="error">{t('petitions.overdue')}</Tag>}
        </span>
      ),
    },
  ];

  return (
    <Table<CaseRead>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={cases.data?.items}
      loading={cases.isFetching}
      // A minimum width, not max-content: at 1366 px the columns share the page and wrap instead of scrolling off it.
      scroll={{ x: 960 }}
      pagination={{
        current: Math.floor(offset / limit) + 1,
        pageSize: limit,
        total: cases.data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (total) => t('common.total', { count: total }),
        onChange: (page, pageSize) => onPageChange((page - 1) * pageSize, pageSize),
      }}
      data-testid="case-table"
    />
  );
}
