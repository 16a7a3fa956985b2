import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Breadcrumb, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';

import type { ReportDocumentRead } from '../api/types';
import { ErrorResult } from '../components/ErrorResult';
import { FullPageSpinner } from '../components/FullPageSpinner';
import { hasRole, useMe } from '../features/auth/api';
import { cycleDetailQuery, cycleKeys } from '../features/cycles/api';
import { reportDetailQuery } from '../features/reports/api';
import { AssessmentCard } from '../features/reports/components/Assessment';
import { ReportEditor, ReportView } from '../features/reports/components/ReportEditor';
import { ReviewActions } from '../features/reports/components/ReviewActions';

export default function ReportPage() {
  const { t } = useTranslation();
  const { reportId } = useParams();
  const id = Number(reportId);
  const me = useMe();
  const queryClient = useQueryClient();
  // Kept here, above the editor: the editor starts afresh with the imported text (it is keyed by the report's version).
  const [imported, setImported] = useState<ReportDocumentRead | null>(null);
  const report = useQuery({ ...reportDetailQuery(id), enabled: Number.isInteger(id) && id > 0 });
  const staff = hasRole(me.data, ['admin', 'clerk']);
  // Only the cycle's managers (admins, clerks of the host organisation) enter indicators and vetoes.
  const cycle = useQuery({ ...cycleDetailQuery(report.data?.cycle_id ?? 0), enabled: staff && report.data !== undefined });

  if (report.isError) return <ErrorResult error={report.error} onRetry={() => void report.refetch()} />;
  if (report.isPending) return <FullPageSpinner />;
  const r = report.data;
  const secretary = hasRole(me.data, ['secretary']);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          secretary ? { title: <Link to="/my-reports">{t('reports.mine')}</Link> } : { title: <Link to={`/cycles/${r.cycle_id}`}>{r.cycle_name}</Link> },
          { title: r.org.name },
        ]}
      />
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="report-title">
        {r.title}
      </Typography.Title>
      {r.can_review && (
        <Card size="small">
          <ReviewActions
            report={r}
            size="middle"
            onChanged={() => void queryClient.invalidateQueries({ queryKey: cycleKeys.detail(r.cycle_id) })}
          />
        </Card>
      )}
      {secretary ? (
        <ReportEditor key={r.updated_at} report={r} imported={imported?.report.id === r.id ? imported : null} onImported={setImported} />
      ) : (
        <ReportView report={r} />
      )}
      {staff && cycle.data?.can_manage && <AssessmentCard reportId={r.id} />}
    </Space>
  );
}
