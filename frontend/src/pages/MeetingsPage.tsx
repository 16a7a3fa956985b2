import { Button, Card, InputNumber, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

import { CycleLinks } from '../features/cycles/components/CycleLinks';

/** Where a host starts: the cycles to schedule meetings in, or a meeting's console by its number. */
export default function MeetingsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [meetingId, setMeetingId] = useState<number | null>(null);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('meetings.title')}
      </Typography.Title>
      <Card title={t('meetings.chooseCycle')}>
        <CycleLinks
          to={(cycle) => `/cycles/${cycle.id}/meetings`}
          action={t('meetings.openMeetings')}
          emptyText={t('meetings.noCycles')}
          testId="meeting-cycles"
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
