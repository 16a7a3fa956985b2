import { Card, DatePicker, Input, InputNumber, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { AuditQuery } from '../api/types';
import { AuditTable } from '../features/audit/components/AuditTable';
import { VerifyChain } from '../features/audit/components/VerifyChain';
import { endOfDayUtc, startOfDayUtc } from '../lib/datetime';

const PAGE_SIZE = 50;

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
          <InputNumber<number>
            min={1}
            placeholder={t('audit.actorId')}
            aria-label={t('audit.actorId')}
            onChange={(value) => filter({ actor_id: value ?? undefined })}
            style={{ width: 140 }}
          />
          <Input
            allowClear
            placeholder={t('audit.action')}
            aria-label={t('audit.action')}
            onChange={(event) => filter({ action: event.target.value.trim() || undefined })}
            style={{ width: 160 }}
          />
          <Input
            allowClear
            placeholder={t('audit.entityType')}
            aria-label={t('audit.entityType')}
            onChange={(event) => filter({ entity_type: event.target.value.trim() || undefined })}
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
