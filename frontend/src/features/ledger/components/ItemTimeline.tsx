import { Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
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

const OPINION_SOURCES = ['ballot', 'meeting', 'clerk', 'paper'] as const;

/** The note the backend writes when an opinion is filed ("opinion 105 (paper)"), in words; any other note as written. */
export function eventNote(t: TFunction, note: string): string {
  const filed = /^opinion (\d+) \((\w+)\)$/.exec(note);
  if (!filed) return note;
  const source = filed[2]!;
  const name = (OPINION_SOURCES as readonly string[]).includes(source)
    ? t(`ledger.source.${source as (typeof OPINION_SOURCES)[number]}`)
    : source;
  return t('ledger.opinionNote', { id: filed[1], source: name });
}

/** Who acted: a person's name, or the system (which the backend records as "system"). */
export function eventActor(t: TFunction, name: string): string {
  return name === 'system' ? t('ledger.systemActor') : name;
}

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
              {formatDateTime(event.at)} · {eventActor(t, event.actor_name)}
            </Typography.Text>
            {event.note && <Typography.Paragraph style={{ margin: 0 }}>{eventNote(t, event.note)}</Typography.Paragraph>}
          </div>
        ),
      }))}
    />
  );
}
