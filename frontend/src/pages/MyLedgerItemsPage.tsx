import { Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import type { LedgerItemQuery } from '../api/types';
import { ItemTable } from '../features/ledger/components/ItemTable';
import { LedgerFilters } from '../features/ledger/components/LedgerFilters';

/** The owner's own items: those of their organisation, and those they answer for. */
export default function MyLedgerItemsPage() {
  const { t } = useTranslation();
  // ?overdue=true (the home page's link) opens the list filtered.
  const [params] = useSearchParams();
  const [query, setQuery] = useState<LedgerItemQuery>({ mine: true, limit: 50, offset: 0, overdue: params.get('overdue') === 'true' || undefined });
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('ledger.myItemsTitle')}
      </Typography.Title>
      <Card>
        <LedgerFilters query={query} onChange={(patch) => setQuery((current) => ({ ...current, ...patch, offset: 0 }))} />
        <ItemTable
          cardsOnPhone
          query={query}
          onPageChange={(offset, limit) => setQuery((current) => ({ ...current, offset, limit }))}
        />
      </Card>
    </Space>
  );
}
