import { DesktopOutlined, FileTextOutlined, PauseCircleOutlined, PlayCircleOutlined, SoundOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Descriptions, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { AgendaEntry, MeetingRead, MeetingStatus, Tally, TallyReport, Voting } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { FullPageSpinner } from '../../../components/FullPageSpinner';
import { formatDateTime } from '../../../lib/datetime';
import { describeError } from '../../../lib/errors';
import { withheldText } from '../../../lib/withheld';
import { meetingCycleQuery, meetingKeys, meetingQuery, screenUrl, tallyQuery, useMeetingAction, type MeetingAction } from '../api';
import { useCoalesced, useMeetingEvents, type LiveStatus } from '../events';
import { revealRefusal } from '../reveal';
import { REFETCH_INTERVAL_MS } from './MeetingScreen';
import { TokenPanel } from './TokenPanel';

const STATUS_COLOR: Record<MeetingStatus, string> = { scheduled: 'default', live: 'red', ended: 'blue' };
const VOTING_COLOR: Record<Voting, string> = { pending: 'default', open: 'green', closed: 'blue' };

export function StatusTag({ status }: { status: MeetingStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`meetings.status.${status}`)}</Tag>;
}

function LiveIndicator({ live, keyless }: { live: LiveStatus; keyless: boolean }) {
  const { t } = useTranslation();
  if (keyless) return <Badge status="default" text={t('meetings.live.polling')} />;
  const status = live === 'live' ? 'success' : live === 'connecting' ? 'processing' : 'warning';
  return <Badge status={status} text={t(`meetings.live.${live}`)} data-testid="console-live" />;
}

/** The host console: drive the meeting, watch the counts, print token sheets. */
export function MeetingConsole({ meetingId }: { meetingId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const meeting = useQuery(meetingQuery(meetingId));
  const tally = useQuery({ ...tallyQuery(meetingId), enabled: meeting.isSuccess });
  const cycle = useQuery({ ...meetingCycleQuery(meeting.data?.cycle_id ?? 0), enabled: meeting.data !== undefined });
  const action = useMeetingAction(meetingId);
  const screenKey = meeting.data?.screen_key ?? null;

  const refresh = useCoalesced(() => {
    void queryClient.invalidateQueries({ queryKey: meetingKeys.detail(meetingId) });
  }, REFETCH_INTERVAL_MS);
  const live = useMeetingEvents(meetingId, screenKey, refresh);
  // Without a live stream the console still follows, every few seconds.
  useEffect(() => {
    if (screenKey && live === 'live') return undefined;
    const timer = setInterval(refresh, 5000);
    return () => clearInterval(timer);
  }, [screenKey, live, refresh]);

  if (meeting.isPending) return <FullPageSpinner />;
  if (meeting.isError) return <ErrorResult error={meeting.error} onRetry={() => void meeting.refetch()} />;
  const data = meeting.data;

  const run = (next: MeetingAction) =>
    action.mutate(next, {
      onSuccess: () => void message.success(t('meetings.actions.done')),
      onError: (error) => {
        const refused = next.kind === 'reveal' ? revealRefusal(t, error, data.agenda) : null;
        if (refused) {
          void message.error(refused);
          return;
        }
        const text = describeError(t, error);
        void message.error(text.detail ? `${text.title}：${text.detail}` : text.title);
      },
    });

  const url = screenKey ? screenUrl(data.id, screenKey) : null;
  const votingOpen = data.agenda.some((entry) => entry.voting === 'open');
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="meeting-console">
      <Card>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {data.title} <StatusTag status={data.status} />
            </Typography.Title>
            <LiveIndicator live={live} keyless={!screenKey} />
          </Space>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('meetings.columns.direction')}>{t(`meetings.directionShort.${data.direction}`)}</Descriptions.Item>
            <Descriptions.Item label={t('meetings.columns.startsAt')}>{formatDateTime(data.starts_at)}</Descriptions.Item>
            <Descriptions.Item label={t('meetings.cycleColumn')}>{cycle.data?.name ?? data.cycle_id}</Descriptions.Item>
          </Descriptions>
          <Space wrap>
            {data.status === 'scheduled' && (
              <Button type="primary" icon={<PlayCircleOutlined />} onClick={() => run({ kind: 'start' })} loading={action.isPending} data-testid="start-meeting">
                {t('meetings.actions.start')}
              </Button>
            )}
            {data.status === 'live' && (
              <Popconfirm title={t('meetings.actions.confirmEnd')} onConfirm={() => run({ kind: 'end' })}>
                <Button danger icon={<StopOutlined />} loading={action.isPending} data-testid="end-meeting">
                  {t('meetings.actions.end')}
                </Button>
              </Popconfirm>
            )}
            <Space size={6}>
              <Switch
                checked={data.revealed}
                onChange={(revealed) => run({ kind: 'reveal', revealed })}
                loading={action.isPending}
                aria-label={t('meetings.actions.reveal')}
                data-testid="reveal-switch"
              />
              <span>{data.revealed ? t('meetings.actions.revealOn') : t('meetings.actions.revealOff')}</span>
              {votingOpen && (
                <Typography.Text type="secondary" data-testid="reveal-waits">
                  {t('meetings.actions.revealWaits')}
                </Typography.Text>
              )}
            </Space>
            <Link to={`/meetings/${data.id}/paper`} data-testid="open-paper">
              <Button icon={<FileTextOutlined />}>{t('paper.open')}</Button>
            </Link>
            {url && (
              <>
                <Button icon={<DesktopOutlined />} href={url} target="_blank" rel="noopener" data-testid="open-screen">
                  {t('meetings.actions.openScreen')}
                </Button>
                <Typography.Text copyable={{ text: url, tooltips: [t('meetings.actions.copyScreenLink'), t('meetings.actions.copied')] }} data-testid="screen-link">
                  {t('meetings.actions.copyScreenLink')}
                </Typography.Text>
              </>
            )}
          </Space>
        </Space>
      </Card>
      <AgendaTable meeting={data} tally={tally.data} busy={action.isPending} onAction={run} />
      {cycle.data && <TokenPanel meeting={data} groups={cycle.data.groups} />}
    </Space>
  );
}

interface AgendaProps {
  meeting: MeetingRead;
  tally: Tally | undefined;
  busy: boolean;
  onAction: (action: MeetingAction) => void;
}

export function AgendaTable({ meeting, tally, busy, onAction }: AgendaProps) {
  const { t } = useTranslation();
  const byReport = new Map<number, TallyReport>(tally?.reports.map((report) => [report.report_id, report]) ?? []);
  const live = meeting.status === 'live';
  const columns: ColumnsType<AgendaEntry> = [
    { title: t('meetings.columns.position'), dataIndex: 'position', width: 64, align: 'center' },
    {
      title: t('meetings.columns.org'),
      key: 'org',
      render: (_, entry) => (
        <Space size={4}>
          {entry.report_id === meeting.current_report_id && <SoundOutlined style={{ color: '#b7202e' }} aria-label={t('meetings.actions.currentSpeaker')} />}
          <span>{entry.org_name}</span>
          <Typography.Text type="secondary">{entry.org_code}</Typography.Text>
        </Space>
      ),
    },
    { title: t('meetings.columns.report'), dataIndex: 'title', ellipsis: true },
    {
      title: t('meetings.columns.voting'),
      dataIndex: 'voting',
      width: 96,
      render: (voting: Voting) => <Tag color={VOTING_COLOR[voting]}>{t(`meetings.voting.${voting}`)}</Tag>,
    },
    {
      title: t('meetings.columns.received'),
      key: 'received',
      render: (_, entry) => (
        <Space direction="vertical" size={0} data-testid={`received-${entry.report_id}`}>
          {byReport.get(entry.report_id)?.groups.map((group) => (
            <span key={group.key}>
              {group.name} {group.received}/{group.expected}
            </span>
          ))}
        </Space>
      ),
    },
    {
      title: t('meetings.columns.score'),
      key: 'score',
      width: 120,
      align: 'right',
      render: (_, entry) => {
        const report = byReport.get(entry.report_id);
        if (report?.withheld) {
          return (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`score-withheld-${entry.report_id}`}>
              {withheldText(t, report)}
            </Typography.Text>
          );
        }
        return report?.score ? (
          <span>
            {report.score}
            {report.rank ? <Typography.Text type="secondary">（{report.rank}）</Typography.Text> : null}
          </span>
        ) : (
          '—'
        );
      },
    },
    {
      title: t('meetings.columns.actions'),
      key: 'actions',
      width: 250,
      render: (_, entry) => {
        const current = entry.report_id === meeting.current_report_id;
        return (
          <Space wrap size={4}>
            <Button
              size="small"
              type={current ? 'primary' : 'default'}
              icon={<SoundOutlined />}
              disabled={!live || current || busy}
              onClick={() => onAction({ kind: 'speaker', reportId: entry.report_id })}
            >
              {current ? t('meetings.actions.currentSpeaker') : t('meetings.actions.setSpeaker')}
            </Button>
            {entry.voting === 'open' ? (
              <Button
                size="small"
                danger
                icon={<PauseCircleOutlined />}
                disabled={!live || busy}
                onClick={() => onAction({ kind: 'voting', reportId: entry.report_id, open: false })}
              >
                {t('meetings.actions.closeVoting')}
              </Button>
            ) : (
              <Button
                size="small"
                icon={<PlayCircleOutlined />}
                disabled={!live || busy}
                onClick={() => onAction({ kind: 'voting', reportId: entry.report_id, open: true })}
              >
                {t('meetings.actions.openVoting')}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];
  return (
    <Card title={t('vote.agenda')} styles={{ body: { padding: 0 } }}>
      <Table<AgendaEntry>
        rowKey="report_id"
        size="middle"
        pagination={false}
        dataSource={[...meeting.agenda].sort((a, b) => a.position - b.position)}
        columns={columns}
        scroll={{ x: 900 }}
        rowClassName={(entry) => (entry.report_id === meeting.current_report_id ? 'ant-table-row-selected' : '')}
        data-testid="agenda-table"
      />
    </Card>
  );
}
