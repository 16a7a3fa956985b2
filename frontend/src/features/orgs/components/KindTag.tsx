import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { OrgKind } from '../../../api/types';

export const KIND_COLOURS: Record<OrgKind, string> = {
  county: 'red',
  township: 'blue',
  working_committee: 'purple',
  village: 'green',
  department: 'orange',
};

export function KindTag({ kind }: { kind: OrgKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={KIND_COLOURS[kind]} data-kind={kind}>
      {t(`orgKinds.${kind}`)}
    </Tag>
  );
}

export function InactiveTag() {
  const { t } = useTranslation();
  return <Tag>{t('common.inactive')}</Tag>;
}
