import { useQuery } from '@tanstack/react-query';
import { Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { RubricSummary } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { formatDateTime } from '../../../lib/datetime';
import { rubricListQuery } from '../api';

const PAGE_SIZE = 20;

/** Rubrics, newest first, each linking to its editor. */
export function RubricTable({ q = '' }: { q?: string }) {
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  const rubrics = useQuery(rubricListQuery(q, PAGE_SIZE, offset));
  if (rubrics.isError) return <ErrorResult error={rubrics.error} onRetry={() => void rubrics.refetch()} />;

  const columns: TableColumnsType<RubricSummary> = [
    { title: t('rubrics.name'), dataIndex: 'name', render: (name: string, r) => <Link to={`/rubrics/${r.id}`}>{name}</Link> },
    { title: t('rubrics.version'), dataIndex: 'version', width: 80, render: (v: number) => t('rubrics.versionNumber', { version: v }) },
    { title: t('rubrics.itemCount'), dataIndex: 'item_count', width: 90 },
    { title: t('rubrics.maxTotal'), dataIndex: 'max_total', width: 100 },
    { title: t('rubrics.cycleCount'), dataIndex: 'cycle_count', width: 100 },
    {
      title: t('common.status'),
      dataIndex: 'frozen',
      width: 100,
      render: (frozen: boolean) => (frozen ? <Tag color="blue">{t('rubrics.frozen')}</Tag> : <Tag>{t('rubrics.editable')}</Tag>),
    },
    { title: t('rubrics.updatedAt'), dataIndex: 'updated_at', render: (at: string) => formatDateTime(at) },
  ];

  return (
    <Table<RubricSummary>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={rubrics.data?.items}
      loading={rubrics.isFetching}
      scroll={{ x: 'max-content' }}
      pagination={{
        current: Math.floor(offset / PAGE_SIZE) + 1,
        pageSize: PAGE_SIZE,
        total: rubrics.data?.total ?? 0,
        showTotal: (total) => t('common.total', { count: total }),
        onChange: (page) => setOffset((page - 1) * PAGE_SIZE),
      }}
      data-testid="rubric-table"
    />
  );
}
