import { useQuery } from '@tanstack/react-query';
import { Card, Segmented, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { StatsGroup } from '../api/types';
import { ErrorResult } from '../components/ErrorResult';
import { statsQuery } from '../features/petitions/api';
import { StatsBreakdown } from '../features/petitions/components/StatsBreakdown';
import { StatsTotals } from '../features/petitions/components/StatsTotals';

export default function PetitionStatsPage() {
  const { t } = useTranslation();
  const [groupBy, setGroupBy] = useState<StatsGroup>('org');
  const stats = useQuery(statsQuery(groupBy));
  const groupLabel = groupBy === 'org' ? t('petitions.township') : t('petitions.department');

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('petitions.statsTitle')}
      </Typography.Title>
      {stats.isError ? (
        <ErrorResult error={stats.error} onRetry={() => void stats.refetch()} />
      ) : !stats.data ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <>
          <StatsTotals total={stats.data.total} />
          <Segmented<StatsGroup>
            value={groupBy}
            onChange={setGroupBy}
            options={[
              { value: 'org', label: t('petitions.stats.byTownship') },
              { value: 'department', label: t('petitions.stats.byDepartment') },
            ]}
            data-testid="stats-group"
          />
          <StatsBreakdown stats={stats.data} groupLabel={groupLabel} />
        </>
      )}
    </Space>
  );
}
