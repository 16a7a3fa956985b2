import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { cyclesQuery } from '../api';

interface CycleSelectProps {
  value?: number;
  onChange: (value: number | undefined) => void;
  allowAll?: boolean;
  /** Pick the newest cycle when none is chosen yet. */
  pickLatest?: boolean;
}

/** Choose an evaluation cycle, newest first. */
export function CycleSelect({ value, onChange, allowAll = false, pickLatest = false }: CycleSelectProps) {
  const { t } = useTranslation();
  const cycles = useQuery(cyclesQuery());
  const first = cycles.data?.items[0]?.id;
  useEffect(() => {
    if (pickLatest && value === undefined && first !== undefined) onChange(first);
  }, [pickLatest, value, first, onChange]);
  return (
    <Select<number>
      allowClear={allowAll}
      value={value}
      onChange={(id) => onChange(id ?? undefined)}
      loading={cycles.isLoading}
      placeholder={allowAll ? t('ledger.anyCycle') : t('ledger.chooseCycle')}
      aria-label={t('ledger.cycle')}
      style={{ minWidth: 280 }}
      options={(cycles.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
      data-testid="cycle-select"
    />
  );
}
