import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { LedgerItem } from '../../../api/types';

/** The deadline with the working days left (or late) while the item is being worked on. */
export function Deadline({ item }: { item: Pick<LedgerItem, 'due_date' | 'working_days_left' | 'overdue'> }) {
  const { t } = useTranslation();
  const left = item.working_days_left;
  return (
    <span>
      {item.due_date}{' '}
      {left !== null && (
        <Typography.Text type={item.overdue ? 'danger' : left <= 5 ? 'warning' : 'secondary'}>
          ({left < 0 ? t('ledger.daysLate', { count: -left }) : t('ledger.daysLeft', { count: left })})
        </Typography.Text>
      )}
    </span>
  );
}
