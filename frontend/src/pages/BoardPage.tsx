import { useQuery } from '@tanstack/react-query';
import { Layout, Select, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorResult } from '../components/ErrorResult';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { boardQuery } from '../features/ledger/api';
import { BoardView } from '../features/ledger/components/BoardView';
import { TargetBoardSection } from '../features/targets/supervision/components/TargetBoardSection';

/** /board — the county's public rectification progress board: no login, no personal data. */
export default function BoardPage() {
  const { t } = useTranslation();
  const [cycleId, setCycleId] = useState<number | undefined>(undefined);
  const board = useQuery(boardQuery(cycleId));
  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <Layout.Content style={{ maxWidth: 1200, width: '100%', margin: '0 auto', padding: 24 }}>
        <Space align="center" wrap style={{ justifyContent: 'space-between', width: '100%', marginBottom: 16 }}>
          <Typography.Title level={2} style={{ margin: 0 }} data-testid="board-title">
            {t('ledger.public.title')}
          </Typography.Title>
          <Space wrap>
            {board.data && board.data.cycles.length > 1 && (
              <Select<number>
                value={board.data.cycle?.id}
                onChange={setCycleId}
                aria-label={t('ledger.cycle')}
                style={{ minWidth: 260 }}
                options={board.data.cycles.map((c) => ({ value: c.id, label: c.name }))}
              />
            )}
            <LanguageSwitch />
          </Space>
        </Space>
        {board.isError ? (
          <ErrorResult error={board.error} onRetry={() => void board.refetch()} />
        ) : board.data ? (
          <BoardView board={board.data} />
        ) : (
          <Skeleton active />
        )}
        <TargetBoardSection />
      </Layout.Content>
    </Layout>
  );
}
