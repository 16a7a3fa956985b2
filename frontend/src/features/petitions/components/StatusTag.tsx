import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { CaseStatus } from '../../../api/types';

const COLORS: Record<CaseStatus, string> = {
  accepted: 'default',
  in_progress: 'processing',
  assigned: 'purple',
  transferred: 'geekblue',
  resolved: 'success',
  closed: 'green',
};

/** A case status in the UI language, coloured by how far along it is. */
export function StatusTag({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status]}>{t(`petitions.status.${status}`)}</Tag>;
}
