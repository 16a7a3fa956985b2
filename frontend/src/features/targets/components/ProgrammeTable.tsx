import { useQuery } from '@tanstack/react-query';
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { ProgrammeRead } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { programmesQuery } from '../api';
import { ProgrammeStatusTag } from './Tags';

/** Every target programme, newest period first, each opening its own page. */
export function ProgrammeTable() {
  const { t } = useTranslation();
  const programmes = useQuery(programmesQuery());
  if (programmes.isError) return <ErrorResult error={programmes.error} onRetry={() => void programmes.refetch()} />;
  return (
    <Table<ProgrammeRead>
      rowKey="id"
      size="middle"
      loading={programmes.isPending}
      dataSource={programmes.data ?? []}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('targets.programmes.empty') }}
      data-testid="programme-table"
      columns={[
        {
          key: 'name',
          title: t('targets.programmes.name'),
          render: (_, programme) => <Link to={`/targets/programmes/${programme.id}`}>{programme.name}</Link>,
        },
        { key: 'host', title: t('targets.programmes.host'), render: (_, programme) => programme.host.name },
        { key: 'office', title: t('targets.programmes.office'), render: (_, programme) => programme.office?.name ?? '—' },
        {
          key: 'period',
          title: t('targets.programmes.period'),
          render: (_, programme) => `${programme.period_start} ~ ${programme.period_end}`,
        },
        {
          key: 'status',
          title: t('targets.programmes.status'),
          render: (_, programme) => <ProgrammeStatusTag status={programme.status} />,
        },
      ]}
    />
  );
}
