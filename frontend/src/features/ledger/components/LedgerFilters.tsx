import { Input, Select, Space, Switch } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { LEDGER_STATUSES, type LedgerItemQuery, type LedgerStatus } from '../../../api/types';
import { DEFAULT_CATEGORIES } from './categories';

interface LedgerFiltersProps {
  query: LedgerItemQuery;
  onChange: (patch: Partial<LedgerItemQuery>) => void;
  /** The page's organisation picker (features do not import each other). */
  orgPicker?: ReactNode;
  cyclePicker?: ReactNode;
  showStatus?: boolean;
}

/** Category, organisation, status and overdue filters for the ledger. */
export function LedgerFilters({ query, onChange, orgPicker, cyclePicker, showStatus = true }: LedgerFiltersProps) {
  const { t } = useTranslation();
  return (
    <Space wrap style={{ marginBottom: 16 }} data-testid="ledger-filters">
      {cyclePicker}
      {orgPicker}
      <Select<string>
        allowClear
        placeholder={t('ledger.anyCategory')}
        aria-label={t('ledger.category')}
        style={{ minWidth: 140 }}
        value={query.category ?? undefined}
        onChange={(category) => onChange({ category: category ?? undefined })}
        options={DEFAULT_CATEGORIES.map((c) => ({ value: c, label: c }))}
        data-testid="filter-category"
      />
      {showStatus && (
        <Select<LedgerStatus[]>
          mode="multiple"
          allowClear
          placeholder={t('ledger.anyStatus')}
          aria-label={t('ledger.statusLabel')}
          style={{ minWidth: 200 }}
          value={query.status ?? []}
          onChange={(status) => onChange({ status: status.length ? status : undefined })}
          options={LEDGER_STATUSES.map((s) => ({ value: s, label: t(`ledger.status.${s}`) }))}
          data-testid="filter-status"
        />
      )}
      <Input.Search
        allowClear
        placeholder={t('ledger.search')}
        aria-label={t('ledger.search')}
        onSearch={(value) => onChange({ q: value.trim() || undefined })}
        style={{ width: 220 }}
      />
      <Space size={4}>
        <Switch
          size="small"
          id="ledger-overdue"
          checked={query.overdue === true}
          onChange={(checked) => onChange({ overdue: checked ? true : undefined })}
          data-testid="filter-overdue"
        />
        <label htmlFor="ledger-overdue">{t('ledger.overdueOnly')}</label>
      </Space>
    </Space>
  );
}
