import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import type { LedgerItem, LedgerItemQuery } from '../api/types';
import { hasRole, useMe } from '../features/auth/api';
import { cycleDetailQuery } from '../features/cycles/api';
import { CyclePicker } from '../features/cycles/components/CyclePicker';
import { downloadLedger, type LedgerExportFormat } from '../features/ledger/api';
import { BatchBar } from '../features/ledger/components/BatchBar';
import { DuplicatesPanel } from '../features/ledger/components/DuplicatesPanel';
import { ItemTable } from '../features/ledger/components/ItemTable';
import { Kanban } from '../features/ledger/components/Kanban';
import { LedgerFilters } from '../features/ledger/components/LedgerFilters';
import { OrgSelect } from '../features/orgs/components/OrgSelect';
import { describeError } from '../lib/errors';

type View = 'table' | 'kanban';

/** The rectification ledger: filters, then a table or a kanban by status. */
export default function LedgerPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [view, setView] = useState<View>('table');
  // ?overdue=true (the home page's link) opens the list filtered.
  const [params] = useSearchParams();
  const [query, setQuery] = useState<LedgerItemQuery>({ limit: 50, offset: 0, overdue: params.get('overdue') === 'true' || undefined });
  const [selected, setSelected] = useState<LedgerItem[]>([]);
  const filter = (patch: Partial<LedgerItemQuery>) => {
    setSelected([]);
    setQuery((current) => ({ ...current, ...patch, offset: 0 }));
  };
  // Batch steps for the org department; duplicate suggestions for whoever runs the chosen cycle.
  const staff = hasRole(useMe().data, ['admin', 'clerk']);
  const cycleId = query.cycle_id ?? undefined;
  const cycle = useQuery({ ...cycleDetailQuery(cycleId ?? 0), enabled: staff && cycleId !== undefined });
  const exportAs = (format: LedgerExportFormat) =>
    void downloadLedger(query, format).catch((cause: unknown) => void message.error(describeError(t, cause).title));

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('ledger.title')}
        </Typography.Title>
        <Space wrap>
          <Segmented<View>
            value={view}
            onChange={setView}
            options={[
              { value: 'table', label: t('ledger.view.table') },
              { value: 'kanban', label: t('ledger.view.kanban') },
            ]}
            data-testid="ledger-view"
          />
          <Space.Compact>
            <Button icon={<DownloadOutlined />} onClick={() => exportAs('xlsx')}>
              {t('ledger.export')}
            </Button>
            <Button onClick={() => exportAs('csv')}>{t('ledger.exportCsv')}</Button>
          </Space.Compact>
        </Space>
      </Space>
      <Card>
        <LedgerFilters
          query={query}
          onChange={filter}
          showStatus={view === 'table'}
          cyclePicker={<CyclePicker allowAll value={query.cycle_id ?? undefined} onChange={(id) => filter({ cycle_id: id })} />}
          orgPicker={
            <OrgSelect
              kinds={['township', 'working_committee', 'village']}
              placeholder={t('ledger.anyOrg')}
              aria-label={t('ledger.org')}
              value={query.org_id ?? null}
              onChange={(id) => filter({ org_id: id ?? undefined })}
            />
          }
        />
        {view === 'table' ? (
          <>
            {staff && <BatchBar selected={selected} onDone={() => setSelected([])} onClear={() => setSelected([])} />}
            <ItemTable
              query={query}
              onPageChange={(offset, limit) => {
                setSelected([]);
                setQuery((current) => ({ ...current, offset, limit }));
              }}
              selection={staff ? { ids: selected.map((item) => item.id), onChange: setSelected } : undefined}
            />
          </>
        ) : (
          <Kanban query={query} />
        )}
      </Card>
      {cycleId !== undefined && cycle.data?.can_manage && <DuplicatesPanel cycleId={cycleId} />}
    </Space>
  );
}
