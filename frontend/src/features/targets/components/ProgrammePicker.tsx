import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';

import { programmesQuery } from '../api';

/** The one programme switcher of the pipeline and completion pages: every programme, newest period first. */
export function ProgrammePicker({ value, onChange }: { value?: number; onChange: (programmeId: number) => void }) {
  const { t } = useTranslation();
  const programmes = useQuery(programmesQuery());
  return (
    <Select<number>
      // A fixed width, not the label's: a long name would push a phone's page sideways.
      style={{ width: 'min(420px, calc(100vw - 48px))' }}
      value={value}
      onChange={onChange}
      loading={programmes.isPending}
      showSearch
      optionFilterProp="label"
      placeholder={t('targets.pipeline.chooseProgramme')}
      aria-label={t('targets.pipeline.programme')}
      notFoundContent={t('targets.pipeline.noProgrammes')}
      options={(programmes.data ?? []).map((programme) => ({
        value: programme.id,
        label: `${programme.name} · ${programme.host.name} · ${t(`targets.status.${programme.status}`)}`,
      }))}
      data-testid="programme-select"
    />
  );
}
