import { Badge, Calendar, Card, Empty, Grid, List, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { AppointmentRead } from '../../../api/types';
import { TIME_ZONE } from '../../../lib/datetime';

type Status = AppointmentRead['status'];

const STATUS_COLOR: Record<Status, string> = { booked: 'blue', held: 'green', missed: 'orange', cancelled: 'default' };
const BADGE_STATUS: Record<Status, 'processing' | 'success' | 'warning' | 'default'> = {
  booked: 'processing',
  held: 'success',
  missed: 'warning',
  cancelled: 'default',
};

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The Beijing calendar day (YYYY-MM-DD) an appointment starts on. */
export function beijingDay(iso: string): string {
  return dayjs.utc(iso).tz(TIME_ZONE).format('YYYY-MM-DD');
}

/** An appointment's Beijing time span, HH:mm–HH:mm. */
export function beijingSpan(a: Pick<AppointmentRead, 'starts_at' | 'ends_at'>): string {
  return `${dayjs.utc(a.starts_at).tz(TIME_ZONE).format('HH:mm')}–${dayjs.utc(a.ends_at).tz(TIME_ZONE).format('HH:mm')}`;
}

/** Appointments by the Beijing day they start on, each day's in time order. */
export function byDay(appointments: readonly AppointmentRead[]): Map<string, AppointmentRead[]> {
  const days = new Map<string, AppointmentRead[]>();
  for (const a of [...appointments].sort((x, y) => x.starts_at.localeCompare(y.starts_at))) {
    const key = beijingDay(a.starts_at);
    days.set(key, [...(days.get(key) ?? []), a]);
  }
  return days;
}

/** The Monday of the week holding `day`, and the seven days from it. */
export function weekOf(day: Dayjs): Dayjs[] {
  const monday = day.startOf('day').subtract((day.day() + 6) % 7, 'day');
  return Array.from({ length: 7 }, (_, i) => monday.add(i, 'day'));
}

export function AppointmentStatusTag({ status }: { status: Status }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`petitions.appointmentStatus.${status}`)}</Tag>;
}

/** One reception: when (Beijing time), the petitioner (masked) and township, the leader, where, its state. */
export function ReceptionItem({ appointment: a }: { appointment: AppointmentRead }) {
  const { t } = useTranslation();
  return (
    <List.Item data-testid="reception" style={{ display: 'block' }}>
      <Space wrap size={[8, 4]}>
        <Typography.Text strong>{beijingSpan(a)}</Typography.Text>
        <AppointmentStatusTag status={a.status} />
        <span>
          {t('petitionDesk.calendar.petitioner')}：{a.petitioner_name || '—'}
        </span>
        <span>
          {t('petitionDesk.calendar.township')}：{a.org?.name ?? '—'}
        </span>
        <span>
          {t('petitionDesk.calendar.leader')}：{a.leader_name}
        </span>
        <span>
          {t('petitionDesk.calendar.location')}：{a.location || '—'}
        </span>
        <Link to={`/petitions/cases/${a.case_id}`}>
          {t('petitionDesk.calendar.case')} {a.case_external_id}
        </Link>
      </Space>
    </List.Item>
  );
}

/** A day's receptions as a list, or a note that there are none. */
export function DayList({ appointments, empty }: { appointments: readonly AppointmentRead[]; empty: string }) {
  if (appointments.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return (
    <List
      size="small"
      dataSource={[...appointments]}
      rowKey="id"
      renderItem={(a) => <ReceptionItem appointment={a} />}
    />
  );
}

/** The month: each day shows its receptions (on a phone, their count); choosing a day lists it below. */
export function ReceptionMonth({
  appointments,
  value,
  onSelect,
}: {
  appointments: readonly AppointmentRead[];
  value: Dayjs;
  onSelect: (day: Dayjs) => void;
}) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const wide = Boolean(screens.lg);
  const days = useMemo(() => byDay(appointments), [appointments]);
  return (
    <Calendar
      value={value}
      fullscreen={wide}
      headerRender={() => null}
      onSelect={(day, info) => {
        if (info.source === 'date') onSelect(day);
      }}
      cellRender={(current, info) => {
        if (info.type !== 'date') return info.originNode;
        const list = days.get(current.format('YYYY-MM-DD')) ?? [];
        if (list.length === 0) return null;
        if (!wide) {
          return (
            <div data-testid={`day-${current.format('YYYY-MM-DD')}`}>
              <Badge count={list.length} size="small" color="#1677ff" title={t('petitionDesk.calendar.count', { count: list.length })} />
            </div>
          );
        }
        return (
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid={`day-${current.format('YYYY-MM-DD')}`}>
            {list.map((a) => (
              <li key={a.id} style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                <Badge
                  status={BADGE_STATUS[a.status]}
                  text={`${dayjs.utc(a.starts_at).tz(TIME_ZONE).format('HH:mm')} ${a.petitioner_name} · ${a.leader_name}`}
                />
              </li>
            ))}
          </ul>
        );
      }}
    />
  );
}

/** The week, Monday to Sunday: each day with its receptions. */
export function ReceptionWeek({ appointments, day }: { appointments: readonly AppointmentRead[]; day: Dayjs }) {
  const { t } = useTranslation();
  const days = useMemo(() => byDay(appointments), [appointments]);
  const week = weekOf(day);
  const inWeek = week.reduce((n, d) => n + (days.get(d.format('YYYY-MM-DD'))?.length ?? 0), 0);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="reception-week">
      {inWeek === 0 ? <Empty description={t('petitionDesk.calendar.noneWeek')} /> : null}
      {week.map((d) => {
        const list = days.get(d.format('YYYY-MM-DD')) ?? [];
        if (inWeek === 0) return null;
        return (
          <Card
            key={d.format('YYYY-MM-DD')}
            size="small"
            title={`${d.format('MM-DD')} ${t(`petitionDesk.weekdays.${WEEKDAYS[d.day()] ?? 'mon'}`)}`}
            extra={list.length ? t('petitionDesk.calendar.count', { count: list.length }) : undefined}
          >
            <DayList appointments={list} empty={t('petitionDesk.calendar.noneDay')} />
          </Card>
        );
      })}
    </Space>
  );
}
