import { Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { hasRole, useMe } from '../features/auth/api';
import { CycleLinks } from '../features/cycles/components/CycleLinks';
import { FlaggedTwiceList, OrgHistoryModal } from '../features/results/components/History';
import { STAGES_WITH_RESULTS } from '../features/results/model';

const resultsOf = (cycle: { id: number }) => `/cycles/${cycle.id}/results`;

/** 综合评价: pick a cycle; staff also see who was flagged in two consecutive cycles. */
export default function ResultsCyclesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const staff = hasRole(me.data, ['admin', 'clerk']);
  const [history, setHistory] = useState<{ orgId: number; orgName: string } | null>(null);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('results.title')}
      </Typography.Title>
      <Card title={t('results.pickCycle')}>
        <CycleLinks
          to={resultsOf}
          nameTo={resultsOf}
          action={t('results.openResults')}
          prefer={STAGES_WITH_RESULTS}
          emptyText={t('results.noCycles')}
          testId="result-cycles"
        />
      </Card>
      {staff && <FlaggedTwiceList onOpen={(orgId, orgName) => setHistory({ orgId, orgName })} />}
      <OrgHistoryModal orgId={history?.orgId ?? null} orgName={history?.orgName} onClose={() => setHistory(null)} />
    </Space>
  );
}
