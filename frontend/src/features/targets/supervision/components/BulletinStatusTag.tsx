import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { BulletinStatus } from '../types';

/** 草稿 / 已发布, in words with a colour. */
export function BulletinStatusTag({ status }: { status: BulletinStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={status === 'published' ? 'success' : 'default'} data-status={status}>
      {t(`supervision.bulletins.statuses.${status}`)}
    </Tag>
  );
}
