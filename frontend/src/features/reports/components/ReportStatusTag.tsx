import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { ReportStatus } from '../../../api/types';

const COLOURS: Record<ReportStatus, string> = { draft: 'default', submitted: 'processing', returned: 'warning', accepted: 'success' };

export function ReportStatusTag({ status, late = false }: { status: ReportStatus; late?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Tag color={COLOURS[status]}>{t(`reportStatus.${status}`)}</Tag>
      {late && <Tag color="red">{t('reports.late')}</Tag>}
    </>
  );
}
