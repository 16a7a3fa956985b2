import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { LedgerItem } from '../../../api/types';

interface DeadlineProps {
  item: Pick<LedgerItem, 'due_date' | 'working_days_left' | 'overdue'>;
  /** The days left under the date, not beside it: a narrow table column. */
  stacked?: boolean;
}

/** The deadline with the working days left (or late) while the item is being worked on. */
export function Deadline({ item, stacked = false }: DeadlineProps) {
  const { t } = useTranslation();
  const left = item.working_days_left;
  return (
    <span style={stacked ? { display: 'inline-flex', flexDirection: 'column' } : undefined}>
      <span style={{ whiteSpace: 'nowrap' }}>{item.due_date}</span>
      {!stacked && ' '}
      {left !== null && (
        <Typography.Text type={item.overdue ? 'danger' : left <= 5 ? 'warning' : 'secondary'} style={{ whiteSpace: 'nowrap' }}>
          ({left < 0 ? t('ledger.daysLate', { count: -left }) : t('ledger.daysLeft', { count: left })})
        </Typography.Text>
      )}
    </span>
  );
}
