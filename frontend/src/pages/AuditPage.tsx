import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Input, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { AuditQuery } from '../api/types';
import { AuditTable } from '../features/audit/components/AuditTable';
import { VerifyChain } from '../features/audit/components/VerifyChain';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES, actionLabel, entityLabel } from '../features/audit/labels';
import { userListQuery } from '../features/users/api';
import { endOfDayUtc, startOfDayUtc } from '../lib/datetime';

const PAGE_SIZE = 50;

/** A person picked by name (the users the search finds, inactive ones too); the log is filtered by their id. */
function ActorPicker({ onChange }: { onChange: (id: number | undefined) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const users = useQuery(userListQuery({ q: search.trim() || undefined, include_inactive: true, limit: 20 }));
  return (
    <Select<number>
      showSearch
      allowClear
      filterOption={false}
      placeholder={t('audit.actorPick')}
      aria-label={t('audit.actorPick')}
      loading={users.isFetching}
      onSearch={setSearch}
      onChange={(value) => onChange(value ?? undefined)}
      options={(users.data?.items ?? []).map((user) => ({
        value: user.id,
        label: user.org_name ? `${user.full_name}（${user.org_name}）` : user.full_name,
      }))}
      style={{ width: 220 }}
      data-testid="audit-actor"
    />
  );
}

export default function AuditPage() {
  const { t } = useTranslation();
  const [query, setQuery] = useState<AuditQuery>({ limit: PAGE_SIZE, offset: 0 });

  const filter = (patch: Partial<AuditQuery>) => setQuery((current) => ({ ...current, ...patch, offset: 0 }));

  const setPeriod = (range: [Dayjs | null, Dayjs | null] | null) =>
    filter({
      since: range?.[0] ? startOfDayUtc(range[0]) : undefined,
      until: range?.[1] ? endOfDayUtc(range[1]) : undefined,
    });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('audit.title')}
      </Typography.Title>
      <Card>
        <VerifyChain />
      </Card>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <ActorPicker onChange={(id) => filter({ actor_id: id })} />
          <Select<string>
            showSearch
            allowClear
            optionFilterProp="label"
            placeholder={t('audit.action')}
            aria-label={t('audit.action')}
            onChange={(value) => filter({ action: value ?? undefined })}
            options={AUDIT_ACTIONS.map((action) => ({ value: action, label: actionLabel(t, action) }))}
            style={{ width: 200 }}
          />
          <Select<string>
            allowClear
            placeholder={t('audit.entityType')}
            aria-label={t('audit.entityType')}
            onChange={(value) => filter({ entity_type: value ?? undefined })}
            options={AUDIT_ENTITY_TYPES.map((type) => ({ value: type, label: entityLabel(t, type) }))}
            style={{ width: 160 }}
          />
          <Input
            allowClear
            placeholder={t('audit.entityId')}
            aria-label={t('audit.entityId')}
            onChange={(event) => filter({ entity_id: event.target.value.trim() || undefined })}
            style={{ width: 140 }}
          />
          <DatePicker.RangePicker aria-label={t('audit.period')} onChange={(range) => setPeriod(range)} />
        </Space>
        <AuditTable query={query} onPageChange={(offset, limit) => setQuery((current) => ({ ...current, offset, limit }))} />
      </Card>
    </Space>
  );
}
