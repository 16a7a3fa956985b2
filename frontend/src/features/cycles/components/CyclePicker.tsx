import { Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import type { CycleStage } from '../../../api/types';
import { useCycles, useDefaultCycle, type CycleDataProbe } from '../api';

export interface CyclePickerProps {
  value?: number;
  onChange: (cycleId: number | undefined) => void;
  /** Offer "all cycles": the choice can be cleared. */
  allowAll?: boolean;
  /** Choose the first cycle (the newest, in a preferred stage when there is one) while none is chosen. */
  pickDefault?: boolean;
  /** Stages listed first, e.g. the cycles that can have results. */
  prefer?: readonly CycleStage[];
  /** With `pickDefault`: choose the first cycle that has the page's data (e.g. opinions), else the first. */
  probe?: CycleDataProbe;
}

/** The one cycle switcher: the cycles the user takes part in, newest first, searchable by name or host. */
export function CyclePicker({ value, onChange, allowAll = false, pickDefault = false, prefer, probe }: CyclePickerProps) {
  const { t } = useTranslation();
  const cycles = useCycles(prefer);
  const first = useDefaultCycle(prefer, probe, pickDefault && value === undefined);
  useEffect(() => {
    if (pickDefault && value === undefined && first !== undefined) onChange(first);
  }, [pickDefault, value, first, onChange]);
  return (
    <Select<number>
      // A fixed width, not the label's: a cycle's full name and host would push a phone's page sideways.
      style={{ width: 'min(420px, calc(100vw - 48px))' }}
      value={value}
      onChange={(next) => onChange(next ?? undefined)}
      allowClear={allowAll}
      placeholder={allowAll ? t('cycles.picker.all') : t('cycles.picker.choose')}
      loading={cycles.isPending}
      showSearch
      optionFilterProp="label"
      aria-label={t('cycles.picker.label')}
      options={(cycles.data ?? []).map((cycle) => ({ value: cycle.id, label: `${cycle.name} · ${cycle.host_org.name}` }))}
      data-testid="cycle-select"
    />
  );
}
