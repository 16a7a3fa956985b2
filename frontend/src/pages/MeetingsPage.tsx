import { useQuery } from '@tanstack/react-query';
import { Button, Card, InputNumber, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';

import type { CycleSummary } from '../api/types';
import { hostCyclesQuery } from '../features/meetings/api';

/** Where a host starts: the cycles to schedule meetings in, or a meeting's console by its number. */
export default function MeetingsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const cycles = useQuery(hostCyclesQuery());
  const [meetingId, setMeetingId] = useState<number | null>(null);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('meetings.title')}
      </Typography.Title>
      <Card title={t('meetings.chooseCycle')}>
        <Table<CycleSummary>
          rowKey="id"
          loading={cycles.isPending}
          dataSource={cycles.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: cycles.isError ? t('errors.server') : t('meetings.noCycles') }}
          columns={[
            { title: t('meetings.cycleColumn'), dataIndex: 'name', render: (name: string, cycle) => <Link to={`/cycles/${cycle.id}`}>{name}</Link> },
            { title: t('meetings.hostOrg'), key: 'host', render: (_, cycle) => cycle.host_org.name },
            { title: t('meetings.stage'), dataIndex: 'stage', render: (stage: CycleSummary['stage']) => t(`meetings.stages.${stage}`) },
            {
              title: t('meetings.columns.actions'),
              key: 'open',
              render: (_, cycle) => <Link to={`/cycles/${cycle.id}/meetings`}>{t('meetings.openMeetings')}</Link>,
            },
          ]}
          data-testid="meeting-cycles"
        />
      </Card>
      <Card title={t('meetings.openById')}>
        <Space.Compact>
          <InputNumber
            min={1}
            precision={0}
            placeholder={t('meetings.meetingId')}
            aria-label={t('meetings.meetingId')}
            value={meetingId}
            onChange={(value) => setMeetingId(value)}
            onPressEnter={() => meetingId && navigate(`/meetings/${meetingId}`)}
          />
          <Button type="primary" disabled={!meetingId} onClick={() => navigate(`/meetings/${meetingId}`)}>
            {t('meetings.open')}
          </Button>
        </Space.Compact>
      </Card>
    </Space>
  );
}
