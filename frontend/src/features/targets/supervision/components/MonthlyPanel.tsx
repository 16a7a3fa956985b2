import { UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import type { ProgrammeRead, UserRead } from '../../../../api/types';
import { ErrorResult } from '../../../../components/ErrorResult';
import { formatDateTime } from '../../../../lib/datetime';
import { percent, plain, todayInBeijing } from '../../logic';
import { missingReportsQuery, monthlyReportsQuery } from '../api';
import { defaultMonth, mayReport, monthLabel, monthLocked, programmeMonths, reportRows, type ReportRow } from '../logic';
import type { MonthlyReport } from '../types';
import { ProjectsImport } from './ImportPanels';
import { SubmitReportModal } from './SubmitReportModal';

/** A report's figures: each measure's actual against its target and its rate, as submitted. */
function ReportFigures({ report }: { report: MonthlyReport }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size={2} style={{ width: '100%' }} data-testid="report-figures">
      {report.figures.map((figure) => (
        <Typography.Text key={figure.measure_key}>
          {`${figure.name}：${plain(figure.actual)} / ${figure.target === null ? t('supervision.monthly.noTarget') : plain(figure.target)}${figure.unit}（${percent(figure.completion)}）`}
        </Typography.Text>
      ))}
      {report.note && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '8px 0 0' }}>{report.note}</Typography.Paragraph>}
    </Space>
  );
}

/** 月报 for one programme: a month's units, reported or not (未报送), each report's figures, and the report to submit. */
export function MonthlyPanel({ programme, user }: { programme: ProgrammeRead; user: UserRead | undefined }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const months = programmeMonths(programme);
  const asked = params.get('month');
  const month = asked && months.includes(asked) ? asked : defaultMonth(programme, todayInBeijing());
  const reports = useQuery(monthlyReportsQuery(programme.id, month));
  const missing = useQuery(missingReportsQuery(programme.id, month));
  const [reporting, setReporting] = useState<ReportRow | null>(null);
  const [importing, setImporting] = useState(false);
  const setMonth = (next: string) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        updated.set('month', next);
        return updated;
      },
      { replace: true },
    );

  const failed = reports.error ?? missing.error;
  const rows = reports.data && missing.data ? reportRows(reports.data, missing.data) : [];
  const locked = reports.data ? monthLocked(reports.data) : false;
  const mayImport = user !== undefined && ['admin', 'clerk', 'secretary'].includes(user.role) && programme.status === 'active';

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center">
        <Typography.Text>{t('supervision.monthly.month')}</Typography.Text>
        <Select<string>
          value={month}
          onChange={setMonth}
          style={{ width: 160 }}
          aria-label={t('supervision.monthly.month')}
          options={months.map((value) => ({ value, label: monthLabel(t, value) }))}
          data-testid="report-month"
        />
        {mayImport && (
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="report-import">
            {t('supervision.monthly.importProgress')}
          </Button>
        )}
        {reports.data && missing.data && (
          <Typography.Text type="secondary" data-testid="report-summary">
            {t('supervision.monthly.summary', { total: rows.length, reported: reports.data.length, missing: missing.data.length })}
          </Typography.Text>
        )}
      </Space>
      {locked && <Alert type="info" showIcon message={t('supervision.monthly.locked')} data-testid="report-locked" />}
      {failed ? (
        <ErrorResult error={failed} onRetry={() => void Promise.all([reports.refetch(), missing.refetch()])} />
      ) : (
        <>
          {missing.data && (
            <Alert
              type={missing.data.length ? 'warning' : 'success'}
              showIcon
              data-testid="report-missing"
              message={
                missing.data.length ? t('supervision.monthly.missingTitle', { count: missing.data.length }) : t('supervision.monthly.allReported')
              }
              description={
                missing.data.length ? (
                  <Space wrap size={[4, 4]}>
                    {missing.data.map((org) => (
                      <Tag key={org.id}>{org.name}</Tag>
                    ))}
                  </Space>
                ) : undefined
              }
            />
          )}
          <Table<ReportRow>
            rowKey={(row) => row.org.id}
            size="small"
            loading={reports.isPending || missing.isPending}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('supervision.monthly.empty') }}
            data-testid="reports-table"
            onRow={(row) => ({ 'data-unit': row.org.name }) as HTMLAttributes<HTMLElement>}
            expandable={{
              rowExpandable: (row) => row.report !== null,
              expandedRowRender: (row) => (row.report ? <ReportFigures report={row.report} /> : null),
            }}
            columns={[
              { key: 'unit', title: t('supervision.monthly.unit'), render: (_, row) => row.org.name },
              {
                key: 'status',
                title: t('supervision.monthly.status'),
                render: (_, row) =>
                  row.report ? (
                    <Tag color="success" data-testid="report-status">
                      {t('supervision.monthly.reported')}
                    </Tag>
                  ) : (
                    <Tag color="warning" data-testid="report-status">
                      {t('supervision.monthly.notReported')}
                    </Tag>
                  ),
              },
              { key: 'weighted', title: t('supervision.monthly.weighted'), align: 'right', render: (_, row) => (row.report ? percent(row.report.weighted_completion) : '—') },
              {
                key: 'note',
                title: t('supervision.monthly.note'),
                render: (_, row) =>
                  row.report?.note ? (
                    <Typography.Text ellipsis={{ tooltip: row.report.note }} style={{ maxWidth: 260, display: 'inline-block' }}>
                      {row.report.note}
                    </Typography.Text>
                  ) : (
                    '—'
                  ),
              },
              { key: 'at', title: t('supervision.monthly.submittedAt'), render: (_, row) => (row.report ? formatDateTime(row.report.submitted_at) : '—') },
              { key: 'by', title: t('supervision.monthly.submittedBy'), render: (_, row) => row.report?.submitted_by_name ?? '—' },
              {
                key: 'action',
                title: t('common.actions'),
                render: (_, row) =>
                  mayReport(user, programme, row) ? (
                    <Button size="small" type={row.report ? 'default' : 'primary'} onClick={() => setReporting(row)} data-testid="report-submit">
                      {row.report ? t('supervision.monthly.resubmit') : t('supervision.monthly.submit')}
                    </Button>
                  ) : row.report?.locked ? (
                    <Tag>{t('supervision.monthly.lockedTag')}</Tag>
                  ) : null,
              },
            ]}
          />
        </>
      )}
      {reporting && <SubmitReportModal programme={programme} month={month} row={reporting} onClose={() => setReporting(null)} />}
      <Modal
        open={importing}
        width={880}
        title={t('supervision.imports.projects')}
        footer={null}
        onCancel={() => setImporting(false)}
        destroyOnHidden
      >
        <ProjectsImport programme={programme} />
      </Modal>
    </Space>
  );
}
