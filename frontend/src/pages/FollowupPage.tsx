import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Empty, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorResult } from '../components/ErrorResult';
import { useMe } from '../features/auth/api';
import { CyclePicker } from '../features/cycles/components/CyclePicker';
import { downloadFollowup, followupQuery, itemsProbe } from '../features/ledger/api';
import { FollowupView } from '../features/ledger/components/FollowupView';
import { OrgSelect } from '../features/orgs/components/OrgSelect';
import { describeError } from '../lib/errors';

/** The year-end follow-up report (专题汇报) of a township, as a page and a Word document. */
export default function FollowupPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const secretary = me.data?.role === 'secretary';
  const [cycleId, setCycleId] = useState<number | undefined>(undefined);
  const [chosenOrg, setOrgId] = useState<number | undefined>(undefined);
  const orgId = secretary ? me.data?.org_id : chosenOrg;
  const ready = cycleId !== undefined && orgId !== undefined;
  const report = useQuery({ ...followupQuery(cycleId ?? 0, orgId ?? 0), enabled: ready });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('ledger.followupTitle')}
      </Typography.Title>
      <Space wrap>
        <CyclePicker pickDefault probe={itemsProbe} value={cycleId} onChange={setCycleId} />
        {!secretary && (
          <OrgSelect
            kinds={['township', 'working_committee', 'village']}
            placeholder={t('ledger.chooseOrg')}
            aria-label={t('ledger.org')}
            value={chosenOrg ?? null}
            onChange={(id) => setOrgId(id ?? undefined)}
          />
        )}
        {report.data && (
          <Button
            icon={<DownloadOutlined />}
            onClick={() =>
              void downloadFollowup(report.data.cycle.id, report.data.org.id, `${report.data.org.name}-followup.docx`).catch(
                (cause: unknown) => void message.error(describeError(t, cause).title),
              )
            }
            data-testid="followup-docx"
          >
            {t('ledger.downloadDocx')}
          </Button>
        )}
      </Space>
      <Card>
        {!ready ? (
          <Empty description={t('ledger.chooseOrg')} />
        ) : report.isError ? (
          <ErrorResult error={report.error} onRetry={() => void report.refetch()} />
        ) : report.data ? (
          <FollowupView report={report.data} />
        ) : (
          <Skeleton active />
        )}
      </Card>
    </Space>
  );
}
