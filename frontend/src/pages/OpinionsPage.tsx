import { Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { hasRole, useMe } from '../features/auth/api';
import { CyclePicker } from '../features/cycles/components/CyclePicker';
import { opinionsProbe } from '../features/ledger/api';
import { OpinionsView } from '../features/ledger/components/OpinionsView';
import { OrgSelect } from '../features/orgs/components/OrgSelect';

/** A cycle's opinions (意见建议): counts, the list, clerk entry and the harvest of ballot comments. */
export default function OpinionsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [cycleId, setCycleId] = useState<number | undefined>(undefined);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('ledger.opinionsTitle')}
        </Typography.Title>
        <CyclePicker pickDefault probe={opinionsProbe} value={cycleId} onChange={setCycleId} />
      </Space>
      <Card>
        {cycleId !== undefined && (
          <OpinionsView
            cycleId={cycleId}
            canManage={hasRole(me.data, ['admin', 'clerk'])}
            orgPicker={<OrgSelect kinds={['township', 'working_committee', 'village']} />}
          />
        )}
      </Card>
    </Space>
  );
}
