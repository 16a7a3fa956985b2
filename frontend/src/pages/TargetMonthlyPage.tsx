import { useTranslation } from 'react-i18next';

import type { ProgrammeRead } from '../api/types';
import { useMe } from '../features/auth/api';
import { MonthlyPanel } from '../features/targets/supervision/components/MonthlyPanel';
import { ProgrammeShell } from '../features/targets/supervision/components/ProgrammeShell';

/** 月报: a programme's month — the units' reports and those not yet reported; a unit's secretary reports here. */
export default function TargetMonthlyPage() {
  const { t } = useTranslation();
  const me = useMe();
  return <ProgrammeShell title={t('supervision.monthly.title')}>{(programme) => <MonthlyPanel key={programme.id} programme={programme} user={me.data} />}</ProgrammeShell>;
}

/** The same, as a tab of the programme's page. */
export function MonthlyTab({ programme }: { programme: ProgrammeRead }) {
  const me = useMe();
  return <MonthlyPanel programme={programme} user={me.data} />;
}
