import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { MeetingRead } from '../../../api/types';
import { formatDateTime } from '../../../lib/datetime';
import { StatusTag } from './MeetingConsole';

/** A cycle's meetings, each opening its host console. */
export function MeetingTable({ meetings, loading }: { meetings: MeetingRead[]; loading?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table<MeetingRead>
      rowKey="id"
      loading={loading}
      dataSource={meetings}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('meetings.empty') }}
      columns={[
        { title: t('meetings.columns.title'), dataIndex: 'title', render: (title: string, m) => <Link to={`/meetings/${m.id}`}>{title}</Link> },
        { title: t('meetings.columns.direction'), dataIndex: 'direction', render: (d: MeetingRead['direction']) => t(`meetings.directionShort.${d}`) },
        { title: t('meetings.columns.startsAt'), dataIndex: 'starts_at', render: (at: string) => formatDateTime(at) },
        { title: t('meetings.columns.status'), dataIndex: 'status', render: (status: MeetingRead['status']) => <StatusTag status={status} /> },
        { title: t('meetings.columns.agenda'), key: 'agenda', align: 'right', render: (_, m) => m.agenda.length },
        { title: t('meetings.columns.actions'), key: 'actions', render: (_, m) => <Link to={`/meetings/${m.id}`}>{t('meetings.console')}</Link> },
      ]}
      data-testid="meeting-table"
    />
  );
}
