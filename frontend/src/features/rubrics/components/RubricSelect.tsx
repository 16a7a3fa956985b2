import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { rubricListQuery } from '../api';

interface RubricSelectProps {
  value?: number | null;
  onChange?: (value: number | null) => void;
  disabled?: boolean;
  id?: string;
}

/** Pick a rubric by name; works as an antd Form control. */
export function RubricSelect({ value, onChange, disabled, id }: RubricSelectProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const rubrics = useQuery(rubricListQuery(q, 100, 0));
  return (
    <Select<number | null>
      id={id}
      showSearch
      allowClear
      filterOption={false}
      onSearch={setSearch}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      disabled={disabled}
      loading={rubrics.isFetching}
      placeholder={t('rubrics.pick')}
      options={(rubrics.data?.items ?? []).map((r) => ({
        value: r.id,
        label: t('rubrics.option', { name: r.name, version: r.version, total: r.max_total }),
      }))}
    />
  );
}
