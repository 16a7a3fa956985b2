import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Input, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { CASE_STATUSES, type CaseQuery, type CaseStatus } from '../api/types';
import { hasRole, useMe } from '../features/auth/api';
import { OrgSelect } from '../features/orgs/components/OrgSelect';
import { downloadExport, type ExportFormat } from '../features/petitions/api';
import { CaseTable } from '../features/petitions/components/CaseTable';
import { describeError } from '../lib/errors';

const PAGE_SIZE = 50;

export default function PetitionCasesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const canExport = hasRole(me.data, ['admin', 'clerk']);
  // ?overdue=true (the home page's link) opens the list filtered.
  const [params] = useSearchParams();
  const [query, setQuery] = useState<CaseQuery>({ limit: PAGE_SIZE, offset: 0, overdue: params.get('overdue') === 'true' || undefined });
  const filter = (patch: Partial<CaseQuery>) => setQuery((current) => ({ ...current, ...patch, offset: 0 }));
  const exportAs = (format: ExportFormat) =>
    void downloadExport(query, format).catch((cause: unknown) => void message.error(describeError(t, cause).title));

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('petitions.casesTitle')}
      </Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('petitions.searchPlaceholder')}
            aria-label={t('petitions.searchPlaceholder')}
            onSearch={(value) => filter({ q: value.trim() || undefined })}
            style={{ width: 260 }}
            data-testid="case-search"
          />
          <OrgSelect
            kinds={['township', 'working_committee']}
            placeholder={t('petitions.anyTownship')}
            aria-label={t('petitions.township')}
            value={query.org_id ?? null}
            onChange={(id) => filter({ org_id: id ?? undefined })}
          />
          <OrgSelect
            kinds={['department']}
            placeholder={t('petitions.anyDepartment')}
            aria-label={t('petitions.department')}
            value={query.department_id ?? null}
            onChange={(id) => filter({ department_id: id ?? undefined })}
          />
          <Select<CaseStatus[]>
            mode="multiple"
            allowClear
            placeholder={t('petitions.anyStatus')}
            aria-label={t('common.status')}
            style={{ minWidth: 200 }}
            options={CASE_STATUSES.map((status) => ({ value: status, label: t(`petitions.status.${status}`) }))}
            onChange={(status) => filter({ status: status.length ? status : undefined })}
          />
          <Space size={4}>
            <Switch
              size="small"
              id="case-overdue"
              checked={query.overdue === true}
              onChange={(checked) => filter({ overdue: checked ? true : undefined })}
              data-testid="case-overdue"
            />
            <label htmlFor="case-overdue">{t('petitions.overdueOnly')}</label>
          </Space>
          {canExport && (
            <Space.Compact>
              <Button icon={<DownloadOutlined />} onClick={() => exportAs('xlsx')}>
                {t('petitions.export')}
              </Button>
              <Button onClick={() => exportAs('csv')}>{t('petitions.exportCsv')}</Button>
            </Space.Compact>
          )}
        </Space>
        <CaseTable query={query} onPageChange={(offset, limit) => setQuery((current) => ({ ...current, offset, limit }))} />
      </Card>
    </Space>
  );
}
