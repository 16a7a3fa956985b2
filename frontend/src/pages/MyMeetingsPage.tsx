import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { VoteMeeting } from '../api/types';
import { ErrorResult } from '../components/ErrorResult';
import { myMeetingsQuery } from '../features/meetings/api';
import { StatusTag } from '../features/meetings/components/MeetingConsole';

/** A named evaluator's meetings; the ballot is the phone page (its own entry), so links are plain links. */
export default function MyMeetingsPage() {
  const { t } = useTranslation();
  const meetings = useQuery(myMeetingsQuery());
  if (meetings.isError) return <ErrorResult error={meetings.error} onRetry={() => void meetings.refetch()} />;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('meetings.mine.title')}
      </Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('meetings.mine.hint')}</Typography.Paragraph>
        <Table<VoteMeeting>
          rowKey="meeting_id"
          loading={meetings.isPending}
          dataSource={meetings.data ?? []}
          pagination={false}
          locale={{ emptyText: t('meetings.mine.empty') }}
          columns={[
            { title: t('meetings.columns.title'), dataIndex: 'meeting_title' },
            { title: t('meetings.mine.group'), dataIndex: 'group_name' },
            { title: t('meetings.columns.status'), dataIndex: 'status', render: (status: VoteMeeting['status']) => <StatusTag status={status} /> },
            {
              title: t('meetings.columns.actions'),
              key: 'vote',
              // Only a live meeting takes ballots: an ended or not yet started one says so instead of offering the ballot.
              render: (_, meeting) =>
                meeting.status === 'live' ? (
                  <Button type="primary" href={`/vote/meeting/${meeting.meeting_id}`} data-testid={`vote-${meeting.meeting_id}`}>
                    {t('meetings.mine.vote')}
                  </Button>
                ) : (
                  <Typography.Text type="secondary">{t(meeting.status === 'ended' ? 'meetings.mine.ended' : 'meetings.mine.notYet')}</Typography.Text>
                ),
            },
          ]}
          data-testid="my-meetings"
        />
      </Card>
    </Space>
  );
}
