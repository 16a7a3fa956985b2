import { useTranslation } from 'react-i18next';

import { MonthlyPanel } from '../features/supervision/components/MonthlyPanel';
import { ProgrammeShell } from '../features/supervision/components/ProgrammeShell';

/** 月报: a programme's month — the units' reports and those not yet reported; a unit's secretary reports here. */
export default function TargetMonthlyPage() {
  const { t } = useTranslation();
  return <ProgrammeShell title={t('supervision.monthly.title')}>{(programme) => <MonthlyPanel key={programme.id} programme={programme} />}</ProgrammeShell>;
}
