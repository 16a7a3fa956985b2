import { useQuery } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Skeleton, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ProgrammeRead } from '../../../../api/types';
import { ErrorResult } from '../../../../components/ErrorResult';
import { formatDateTime } from '../../../../lib/datetime';
import { describeError } from '../../../../lib/errors';
import { completionQuery } from '../../api';
import { percent, plain } from '../../logic';
import { useSubmitReport } from '../api';
import { monthEnd, monthLabel, previewFigures, type PreviewFigure, type ReportRow } from '../logic';

/**
 * Submit (or resubmit) a unit's month: the figures the pipeline gives on the month's end are shown first, then sent
 * with the note; a refusal (the month's bulletin published, the programme not active) is said as the API says it.
 */
export function SubmitReportModal({ programme, month, row, onClose }: { programme: ProgrammeRead; month: string; row: ReportRow; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const day = monthEnd(month, programme);
  const completion = useQuery(completionQuery(programme.id, day));
  const submit = useSubmitReport(programme.id);
  const [note, setNote] = useState(row.report?.note ?? '');
  const [error, setError] = useState<unknown>(null);
  const figures = completion.data ? previewFigures(completion.data, row.org.id) : null;
  const problem = error ? describeError(t, error) : null;
  const send = () => {
    setError(null);
    submit.mutateAsync({ org_id: row.org.id, month, note: note.trim() }).then(() => {
      void message.success(t('supervision.monthly.submitted', { unit: row.org.name, month: monthLabel(t, month) }));
      onClose();
    }, setError);
  };
  return (
    <Modal
      open
      width={720}
      title={t('supervision.monthly.modalTitle', { unit: row.org.name, month: monthLabel(t, month) })}
      okText={row.report ? t('supervision.monthly.resubmit') : t('supervision.monthly.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: submit.isPending, disabled: !figures, 'data-testid': 'report-submit-ok' }}
      onOk={send}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{t('supervision.monthly.previewHint', { day })}</Typography.Paragraph>
      {row.report && (
        <Typography.Paragraph type="secondary">
          {t('supervision.monthly.submittedHint', { at: formatDateTime(row.report.submitted_at), by: row.report.submitted_by_name ?? '—' })}
        </Typography.Paragraph>
      )}
      {completion.isError ? (
        <ErrorResult error={completion.error} onRetry={() => void completion.refetch()} />
      ) : !figures ? (
        <Skeleton active />
      ) : (
        <>
          <Table<PreviewFigure>
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={figures.measures}
            scroll={{ x: 'max-content' }}
            data-testid="report-preview"
            columns={[
              { key: 'name', title: t('targets.measures.name'), render: (_, f) => `${f.name}（${f.unit}）` },
              {
                key: 'target',
                title: t('targets.completion.target'),
                align: 'right',
                render: (_, f) => (f.target === null ? <Typography.Text type="secondary">{t('supervision.monthly.noTarget')}</Typography.Text> : plain(f.target)),
              },
              { key: 'actual', title: t('targets.completion.actual'), align: 'right', render: (_, f) => plain(f.actual) },
              { key: 'rate', title: t('targets.completion.rate'), align: 'right', render: (_, f) => percent(f.completion) },
            ]}
          />
          <Typography.Paragraph strong style={{ marginTop: 12 }} data-testid="report-preview-weighted">
            {`${t('supervision.monthly.weighted')}：${percent(figures.weighted)}`}
          </Typography.Paragraph>
        </>
      )}
      <Form layout="vertical">
        <Form.Item label={t('supervision.monthly.note')}>
          <Input.TextArea
            rows={4}
            maxLength={4000}
            showCount
            value={note}
            onChange={(event) => setNote(event.target.value)}
            placeholder={t('supervision.monthly.notePlaceholder')}
            data-testid="report-note"
          />
        </Form.Item>
      </Form>
      {problem && <Alert type="error" showIcon message={problem.title} description={problem.detail} data-testid="report-error" />}
    </Modal>
  );
}
