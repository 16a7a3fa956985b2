import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Segmented, Skeleton, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { StatsGroup } from '../api/types';
import { ErrorResult } from '../components/ErrorResult';
import { statsQuery, type StatsPeriod } from '../features/petitions/api';
import { StatsBreakdown } from '../features/petitions/components/StatsBreakdown';
import { StatsTotals } from '../features/petitions/components/StatsTotals';
import { TIME_ZONE } from '../lib/datetime';

type Range = [Dayjs, Dayjs] | null;

/** Today in Beijing, as a plain calendar day. */
function beijingToday(): Dayjs {
  return dayjs(dayjs().tz(TIME_ZONE).format('YYYY-MM-DD'));
}

/** The current year, the default period. */
export function thisYear(today: Dayjs = beijingToday()): [Dayjs, Dayjs] {
  return [today.startOf('year'), today.endOf('year').startOf('day')];
}

export function periodOf(range: Range): StatsPeriod {
  return range ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') } : {};
}

export default function PetitionStatsPage() {
  const { t } = useTranslation();
  const [groupBy, setGroupBy] = useState<StatsGroup>('org');
  const [range, setRange] = useState<Range>(() => thisYear());
  const stats = useQuery(statsQuery(groupBy, periodOf(range)));
  const groupLabel = groupBy === 'org' ? t('petitions.township') : t('petitions.department');
  const today = beijingToday();

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('petitions.statsTitle')}
      </Typography.Title>
      <Space wrap data-testid="stats-period">
        <Typography.Text>{t('petitionDesk.period.label')}</Typography.Text>
        <DatePicker.RangePicker
          value={range}
          onChange={(value) => setRange(value && value[0] && value[1] ? [value[0], value[1]] : null)}
          placeholder={[t('petitionDesk.period.start'), t('petitionDesk.period.end')]}
          presets={[
            { label: t('petitionDesk.period.thisYear'), value: thisYear(today) },
            { label: t('petitionDesk.period.lastYear'), value: thisYear(today.subtract(1, 'year')) },
            { label: t('petitionDesk.period.last12Months'), value: [today.subtract(12, 'month').add(1, 'day'), today] },
          ]}
          allowClear
          data-testid="stats-range"
        />
        <Button onClick={() => setRange(null)} type={range ? 'default' : 'primary'} data-testid="stats-all">
          {t('petitionDesk.period.all')}
        </Button>
      </Space>
      {stats.isError ? (
        <ErrorResult error={stats.error} onRetry={() => void stats.refetch()} />
      ) : !stats.data ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <>
          <Typography.Text type="secondary" data-testid="stats-showing">
            {stats.data.period_from && stats.data.period_to
              ? t('petitionDesk.period.showing', { from: stats.data.period_from, to: stats.data.period_to })
              : t('petitionDesk.period.showingAll')}
          </Typography.Text>
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
