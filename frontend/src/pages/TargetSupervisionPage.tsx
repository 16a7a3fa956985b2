import { useTranslation } from 'react-i18next';

import { ProgrammeShell } from '../features/supervision/components/ProgrammeShell';
import { SupervisionPanel } from '../features/supervision/components/SupervisionPanel';

/** 督查: a programme's supervision rounds and their findings per unit, each with its rectification-ledger item. */
export default function TargetSupervisionPage() {
  const { t } = useTranslation();
  return <ProgrammeShell title={t('supervision.rounds.title')}>{(programme) => <SupervisionPanel key={programme.id} programme={programme} />}</ProgrammeShell>;
}
