import { useQuery } from '@tanstack/react-query';
import { Select, Space } from 'antd';
import { useDeferredValue, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';

import type { OrgKind } from '../../../api/types';
import { orgDetailQuery, orgListQuery } from '../api';
import { KindTag } from './KindTag';

interface OrgSelectProps {
  value?: number | null;
  onChange?: (value: number | null) => void;
  kinds?: readonly OrgKind[];
  placeholder?: string;
  allowClear?: boolean;
  style?: CSSProperties;
  id?: string;
  'aria-label'?: string;
}

/** Pick an organisation by typing part of its name or code; works as an antd Form control. */
export function OrgSelect({ value, onChange, kinds, placeholder, allowClear = true, style, id, ...rest }: OrgSelectProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const matches = useQuery({ ...orgListQuery({ q: q || undefined, limit: 30 }), placeholderData: (previous) => previous });
  const selected = useQuery({ ...orgDetailQuery(value ?? 0), enabled: typeof value === 'number' && value > 0 });

  const items = (matches.data?.items ?? []).filter((org) => !kinds || kinds.includes(org.kind));
  if (selected.data && !items.some((org) => org.id === selected.data.id)) items.unshift(selected.data);

  return (
    <Select<number | null>
      id={id}
      aria-label={rest['aria-label']}
      showSearch
      allowClear={allowClear}
      value={value ?? undefined}
      placeholder={placeholder ?? t('orgs.orgPlaceholder')}
      filterOption={false}
      onSearch={setSearch}
      onChange={(next) => onChange?.(next ?? null)}
      loading={matches.isFetching}
      style={{ minWidth: 220, ...style }}
      options={items.map((org) => ({
        value: org.id,
        label: org.name,
        title: org.name,
        org,
      }))}
      optionRender={(option) => (
        <Space size={4}>
          <span>{option.data.label}</span>
          {option.data.org && <KindTag kind={option.data.org.kind} />}
        </Space>
      )}
    />
  );
}
