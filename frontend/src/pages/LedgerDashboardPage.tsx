import { useQuery } from '@tanstack/react-query';
import { Card, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorResult } from '../components/ErrorResult';
import { hasRole, useMe } from '../features/auth/api';
import { CyclePicker } from '../features/cycles/components/CyclePicker';
import { remindersQuery, statsQuery } from '../features/ledger/api';
import { BoardLinks } from '../features/ledger/components/BoardLinks';
import { RemindersList } from '../features/ledger/components/RemindersList';
import { FiguresCards, StatsView } from '../features/ledger/components/StatsView';

/** Supervision: headline figures, charts per township and category, completion rates, reminders. */
export default function LedgerDashboardPage() {
  const { t } = useTranslation();
  const [cycleId, setCycleId] = useState<number | undefined>(undefined);
  const stats = useQuery(statsQuery(cycleId));
  const reminders = useQuery(remindersQuery(cycleId));
  const staff = hasRole(useMe().data, ['admin', 'clerk']);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('ledger.dashboardTitle')}
        </Typography.Title>
        <Space wrap>
          <BoardLinks poster={staff} />
          <CyclePicker allowAll value={cycleId} onChange={setCycleId} />
        </Space>
      </Space>
      {stats.isError ? (
        <ErrorResult error={stats.error} onRetry={() => void stats.refetch()} />
      ) : !stats.data ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <>
          <Typography.Text type="secondary">{t('ledger.stats.asOf', { date: stats.data.as_of })}</Typography.Text>
          <FiguresCards total={stats.data.total} />
          <StatsView stats={stats.data} />
        </>
      )}
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('ledger.reminders')}
      </Typography.Title>
      {reminders.data ? <RemindersList reminders={reminders.data} /> : <Skeleton active />}
    </Space>
  );
}
