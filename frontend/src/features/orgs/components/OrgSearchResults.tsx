import { useQuery } from '@tanstack/react-query';
import { Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { OrgRead } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { orgSearchQuery } from '../api';
import { InactiveTag, KindTag } from './KindTag';

interface OrgSearchResultsProps {
  q: string;
  includeInactive?: boolean;
  selectedId?: number | null;
  onSelect?: (org: OrgRead) => void;
}

const PAGE_SIZE = 20;

/** Organisations whose name or code matches `q`, a page at a time. */
export function OrgSearchResults({ q, includeInactive = false, selectedId = null, onSelect }: OrgSearchResultsProps) {
  const { t } = useTranslation();
  const [page, setPage] = useState({ q, current: 1 });
  // A new search starts again at the first page.
  const current = page.q === q ? page.current : 1;
  const result = useQuery(orgSearchQuery(q, includeInactive, PAGE_SIZE, (current - 1) * PAGE_SIZE));

  if (result.isError) return <ErrorResult error={result.error} onRetry={() => void result.refetch()} />;

  const columns: TableColumnsType<OrgRead> = [
    {
      title: t('orgs.name'),
      dataIndex: 'name',
      render: (name: string, org) => (
        <>
          {name} {!org.is_active && <InactiveTag />}
        </>
      ),
    },
    { title: t('orgs.code'), dataIndex: 'code' },
    { title: t('orgs.kind'), dataIndex: 'kind', render: (_, org) => <KindTag kind={org.kind} /> },
  ];

  return (
    <Table<OrgRead>
      size="small"
      rowKey="id"
      columns={columns}
      dataSource={result.data?.items}
      loading={result.isFetching}
      rowClassName={(org) => (org.id === selectedId ? 'ant-table-row-selected' : '')}
      onRow={(org) => ({ onClick: () => onSelect?.(org), style: { cursor: 'pointer' } })}
      pagination={{
        current,
        pageSize: PAGE_SIZE,
        total: result.data?.total ?? 0,
        showSizeChanger: false,
        showTotal: (total) => t('common.total', { count: total }),
        onChange: (next) => setPage({ q, current: next }),
      }}
      data-testid="org-search-results"
    />
  );
}
