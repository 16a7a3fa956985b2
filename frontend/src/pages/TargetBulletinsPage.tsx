import { useTranslation } from 'react-i18next';

import { BulletinsPanel } from '../features/targets/supervision/components/BulletinsPanel';
import { ProgrammeShell } from '../features/targets/supervision/components/ProgrammeShell';

/** 通报: a programme's monthly bulletins (第n期), newest first; the office makes the month's draft here. */
export default function TargetBulletinsPage() {
  const { t } = useTranslation();
  return <ProgrammeShell title={t('supervision.bulletins.title')}>{(programme) => <BulletinsPanel key={programme.id} programme={programme} />}</ProgrammeShell>;
}
