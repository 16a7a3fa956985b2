import { Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { CyclePicker } from '../features/cycles/components/CyclePicker';
import { opinionsProbe } from '../features/ledger/api';
import { OpinionImportPanel } from '../features/ledger/components/OpinionImportPanel';

/** Import the opinions gathered on paper into a cycle's ledger. */
export default function OpinionImportPage() {
  const { t } = useTranslation();
  const [cycleId, setCycleId] = useState<number | undefined>(undefined);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('ledger.importTitle')}
        </Typography.Title>
        <CyclePicker pickDefault probe={opinionsProbe} value={cycleId} onChange={setCycleId} />
      </Space>
      <Card>{cycleId !== undefined && <OpinionImportPanel key={cycleId} cycleId={cycleId} />}</Card>
    </Space>
  );
}
