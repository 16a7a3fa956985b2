import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Segmented, Skeleton, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorResult } from '../components/ErrorResult';
import { appointmentsQuery } from '../features/petitions/api';
import { byDay, DayList, ReceptionMonth, ReceptionWeek, weekOf } from '../features/petitions/components/ReceptionCalendar';
import { endOfDayUtc, startOfDayUtc, TIME_ZONE } from '../lib/datetime';

type Mode = 'month' | 'week';

/** Today in Beijing, as a plain calendar day. */
function beijingToday(): Dayjs {
  return dayjs(dayjs().tz(TIME_ZONE).format('YYYY-MM-DD'));
}

/** The span a view needs: the weeks the month grid shows, or the week. */
function rangeOf(mode: Mode, day: Dayjs) {
  if (mode === 'week') {
    const week = weekOf(day);
    return { since: startOfDayUtc(week[0]!), until: endOfDayUtc(week[6]!) };
  }
  return {
    since: startOfDayUtc(day.startOf('month').subtract(7, 'day')),
    until: endOfDayUtc(day.endOf('month').add(14, 'day')),
  };
}

/** Video receptions (视频接访) by month or week: who, which leader, where, when, in what state. */
export default function ReceptionCalendarPage() {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>('month');
  const [day, setDay] = useState<Dayjs>(beijingToday);
  const appointments = useQuery(appointmentsQuery(rangeOf(mode, day)));
  const items = appointments.data?.items ?? [];
  const unit = mode === 'month' ? 'month' : 'week';
  const week = weekOf(day);
  const heading =
    mode === 'month'
      ? t('petitionDesk.calendar.monthOf', { year: day.year(), month: day.month() + 1 })
      : t('petitionDesk.calendar.weekOf', { from: week[0]!.format('YYYY-MM-DD'), to: week[6]!.format('YYYY-MM-DD') });
  const selected = byDay(items).get(day.format('YYYY-MM-DD')) ?? [];

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('petitionDesk.calendar.title')}
      </Typography.Title>
      <Space wrap>
        <Segmented<Mode>
          value={mode}
          onChange={setMode}
          options={[
            { value: 'month', label: t('petitionDesk.calendar.month') },
            { value: 'week', label: t('petitionDesk.calendar.week') },
          ]}
          data-testid="calendar-mode"
        />
        <Button
          icon={<LeftOutlined />}
          aria-label={mode === 'month' ? t('petitionDesk.calendar.previousMonth') : t('petitionDesk.calendar.previousWeek')}
          onClick={() => setDay(day.subtract(1, unit))}
        />
        <Button onClick={() => setDay(beijingToday())}>{t('petitionDesk.calendar.today')}</Button>
        <Button
          icon={<RightOutlined />}
          aria-label={mode === 'month' ? t('petitionDesk.calendar.nextMonth') : t('petitionDesk.calendar.nextWeek')}
          onClick={() => setDay(day.add(1, unit))}
        />
        <Typography.Text strong data-testid="calendar-heading">
          {heading}
        </Typography.Text>
        <Typography.Text type="secondary">{t('petitionDesk.calendar.hint')}</Typography.Text>
      </Space>
      {appointments.isError ? (
        <ErrorResult error={appointments.error} onRetry={() => void appointments.refetch()} />
      ) : !appointments.data ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : mode === 'month' ? (
        <>
          <Card size="small" data-testid="reception-month">
            <ReceptionMonth appointments={items} value={day} onSelect={setDay} />
          </Card>
          <Card
            size="small"
            title={t('petitionDesk.calendar.dayTitle', { day: day.format('YYYY-MM-DD') })}
            data-testid="reception-day"
          >
            <DayList appointments={selected} empty={t('petitionDesk.calendar.noneDay')} />
          </Card>
        </>
      ) : (
        <ReceptionWeek appointments={items} day={day} />
      )}
    </Space>
  );
}
