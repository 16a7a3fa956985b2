import { useTranslation } from 'react-i18next';

import type { ProgrammeRead } from '../api/types';
import { useMe } from '../features/auth/api';
import { ProgrammeShell } from '../features/targets/supervision/components/ProgrammeShell';
import { SupervisionPanel } from '../features/targets/supervision/components/SupervisionPanel';

/** 督查: a programme's supervision rounds and their findings per unit, each with its rectification-ledger item. */
export default function TargetSupervisionPage() {
  const { t } = useTranslation();
  const me = useMe();
  return <ProgrammeShell title={t('supervision.rounds.title')}>{(programme) => <SupervisionPanel key={programme.id} programme={programme} user={me.data} />}</ProgrammeShell>;
}

/** The same, as a tab of the programme's page. */
export function SupervisionTab({ programme }: { programme: ProgrammeRead }) {
  const me = useMe();
  return <SupervisionPanel programme={programme} user={me.data} />;
}
