import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { LedgerStatus } from '../../../api/types';

export const STATUS_COLORS: Record<LedgerStatus, string> = {
  open: 'default',
  in_progress: 'processing',
  done: 'warning',
  verified: 'success',
  rejected: 'error',
};

/** A ledger item's status in the UI language, with an overdue or due-soon mark. */
export function StatusTag({ status, overdue, dueSoon }: { status: LedgerStatus; overdue?: boolean; dueSoon?: boolean }) {
  const { t } = useTranslation();
  return (
    <span>
      <Tag color={STATUS_COLORS[status]}>{t(`ledger.status.${status}`)}</Tag>
      {overdue && <Tag color="error">{t('ledger.overdue')}</Tag>}
      {!overdue && dueSoon && <Tag color="orange">{t('ledger.dueSoon')}</Tag>}
    </span>
  );
}
