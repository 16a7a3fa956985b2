import { Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { CaseEvent } from '../../../api/types';
import { formatDateTime } from '../../../lib/datetime';
import { StatusTag } from './StatusTag';

const COLORS: Record<CaseEvent['kind'], string> = {
  created: 'gray',
  status: 'blue',
  extended: 'orange',
  updated: 'gray',
  appointment_booked: 'purple',
  appointment_outcome: 'green',
};

/** Who made a change: a person's name or an integration's; none when the channel already says it (the demo's "demo"). */
export function eventActor(event: Pick<CaseEvent, 'actor_name' | 'via'>): string | null {
  const name = event.actor_name;
  return !name || name === event.via ? null : name;
}

/** A case's history, oldest first: who moved it where, on which clock, and whether a stage ran late. */
export function CaseTimeline({ events }: { events: CaseEvent[] }) {
  const { t } = useTranslation();
  return (
    <Timeline
      data-testid="case-timeline"
      items={events.map((event) => ({
        key: event.id,
        color: event.late ? 'red' : COLORS[event.kind],
        children: (
          <div>
            <Typography.Text strong>{t(`petitions.eventKind.${event.kind}`)}</Typography.Text>{' '}
            {event.from_status && <StatusTag status={event.from_status} />}
            {event.from_status && event.to_status && '→ '}
            {event.to_status && <StatusTag status={event.to_status} />}
            {event.late && <Tag color="error">{t('petitions.lateStage')}</Tag>}
            <br />
            <Typography.Text type="secondary">
              {formatDateTime(event.at)} · {t(`petitions.viaKind.${event.via}`)}
              {eventActor(event) ? ` · ${eventActor(event)}` : ''}
              {event.holder ? ` · ${t('petitions.holder')}: ${event.holder.name}` : ''}
              {event.due_date ? ` · ${t('petitions.dueDate')}: ${event.due_date}` : ''}
            </Typography.Text>
            {event.note && <Typography.Paragraph style={{ margin: 0 }}>{event.note}</Typography.Paragraph>}
          </div>
        ),
      }))}
    />
  );
}
