import { SyncOutlined } from '@ant-design/icons';
import { App, Button, Card, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { SyncRunQuery } from '../api/types';
import { hasRole, useMe } from '../features/auth/api';
import { usePullNow } from '../features/petitions/api';
import { SyncLogTable } from '../features/petitions/components/SyncLogTable';
import { describeError } from '../lib/errors';

export default function PetitionSyncPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const pull = usePullNow();
  const [query, setQuery] = useState<SyncRunQuery>({ limit: 50, offset: 0 });

  const pullNow = () =>
    pull.mutate(undefined, {
      onSuccess: (run) => void message.success(t('petitions.sync.pulled', { status: t(`petitions.syncStatus.${run.status}`) })),
      onError: (cause) => {
        const { title, detail } = describeError(t, cause);
        void message.error(detail ? `${title}: ${detail}` : title);
      },
    });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('petitions.syncTitle')}
      </Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            allowClear
            placeholder={t('petitions.sync.kind')}
            aria-label={t('petitions.sync.kind')}
            style={{ width: 160 }}
            options={(['push', 'pull', 'import'] as const).map((kind) => ({ value: kind, label: t(`petitions.syncKind.${kind}`) }))}
            onChange={(kind: SyncRunQuery['kind']) => setQuery((q) => ({ ...q, kind: kind ?? undefined, offset: 0 }))}
          />
          {hasRole(me.data, ['admin', 'integration']) && (
            <Button icon={<SyncOutlined />} loading={pull.isPending} onClick={pullNow}>
              {t('petitions.sync.pullNow')}
            </Button>
          )}
        </Space>
        <SyncLogTable query={query} onPageChange={(offset, limit) => setQuery((q) => ({ ...q, offset, limit }))} />
      </Card>
    </Space>
  );
}
