import { Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { LedgerEvent } from '../../../api/types';
import { formatDateTime } from '../../../lib/datetime';
import { StatusTag } from './StatusTag';

const COLORS: Record<LedgerEvent['kind'], string> = {
  created: 'gray',
  status: 'blue',
  updated: 'gray',
  opinion_added: 'purple',
  merged: 'purple',
  note: 'green',
  evidence_added: 'green',
  evidence_removed: 'orange',
};

/** An item's history, oldest first: who changed what, when. */
export function ItemTimeline({ events }: { events: LedgerEvent[] }) {
  const { t } = useTranslation();
  return (
    <Timeline
      data-testid="ledger-timeline"
      items={events.map((event) => ({
        key: event.id,
        color: event.action === 'send_back' || event.action === 'reject' ? 'red' : COLORS[event.kind],
        children: (
          <div>
            <Typography.Text strong>
              {event.action === 'send_back' ? t('ledger.action.send_back') : t(`ledger.eventKind.${event.kind}`)}
            </Typography.Text>{' '}
            {event.from_status && <StatusTag status={event.from_status} />}
            {event.from_status && event.to_status && '→ '}
            {event.to_status && <StatusTag status={event.to_status} />}
            <br />
            <Typography.Text type="secondary">
              {formatDateTime(event.at)} · {event.actor_name}
            </Typography.Text>
            {event.note && <Typography.Paragraph style={{ margin: 0 }}>{event.note}</Typography.Paragraph>}
          </div>
        ),
      }))}
    />
  );
}
