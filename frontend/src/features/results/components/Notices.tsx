import { Alert, App, Button, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { NoticeRead, ResultItem } from '../../../api/types';
import { formatDateTime, TIME_ZONE } from '../../../lib/datetime';
import { describeError } from '../../../lib/errors';
import { applyProblemToForm } from '../../../lib/forms';
import { downloadNoticeDocument, useAcknowledgeNotice, useIssueNotice } from '../api';
import { DownloadButton } from './DownloadButton';

/** The notice's status, and overdue in red when the deadline passed without acknowledgement. */
export function NoticeStatusTags({ notice }: { notice: NoticeRead }) {
  const { t } = useTranslation();
  return (
    <Space size={[0, 4]} wrap>
      <Tag color={notice.status === 'acknowledged' ? 'green' : 'blue'} data-testid={`notice-status-${notice.status}`}>
        {t(`results.notices.status.${notice.status}`)}
      </Tag>
      {notice.overdue && (
        <Tag color="red" data-testid="notice-overdue">
          {t('results.notices.overdue')}
        </Tag>
      )}
    </Space>
  );
}

function AcknowledgeButton({ notice }: { notice: NoticeRead }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const acknowledge = useAcknowledgeNotice();
  return (
    <Popconfirm
      title={t('results.notices.acknowledgeConfirm', { number: notice.number })}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      onConfirm={() =>
        acknowledge.mutateAsync(notice.id).then(
          () => void message.success(t('results.notices.acknowledged')),
          (cause: unknown) => {
            const { title, detail } = describeError(t, cause);
            void message.error(detail ? `${title}: ${detail}` : title);
          },
        )
      }
    >
      <Button type="primary" size="small" loading={acknowledge.isPending} data-testid={`acknowledge-${notice.id}`}>
        {t('results.notices.acknowledge')}
      </Button>
    </Popconfirm>
  );
}

interface TableProps {
  notices: NoticeRead[];
  loading?: boolean;
  /** Whether the viewer may acknowledge a notice (the notified organisation's secretary). */
  canAcknowledge?: (notice: NoticeRead) => boolean;
}

/** Rectification notices: number, organisation, deadline, status; the Word document; acknowledgement. */
export function NoticeTable({ notices, loading, canAcknowledge }: TableProps) {
  const { t } = useTranslation();
  return (
    <Table<NoticeRead>
      rowKey="id"
      loading={loading}
      dataSource={notices}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('results.notices.empty') }}
      expandable={{
        expandedRowRender: (notice) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text strong>{t('results.notices.findings')}</Typography.Text>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{notice.findings}</Typography.Paragraph>
            <Typography.Text strong>{t('results.notices.measures')}</Typography.Text>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{notice.measures}</Typography.Paragraph>
          </Space>
        ),
      }}
      columns={[
        { title: t('results.notices.number'), dataIndex: 'number' },
        { title: t('results.notices.org'), dataIndex: 'org_name' },
        { title: t('results.notices.issuedAt'), dataIndex: 'issued_at', render: (at: string) => formatDateTime(at) },
        { title: t('results.notices.deadline'), dataIndex: 'deadline_date' },
        { title: t('common.status'), key: 'status', render: (_, notice) => <NoticeStatusTags notice={notice} /> },
        {
          title: t('results.notices.acknowledgedAt'),
          dataIndex: 'acknowledged_at',
          render: (at: string | null) => (at ? formatDateTime(at) : '—'),
        },
        {
          title: t('common.actions'),
          key: 'actions',
          render: (_, notice) => (
            <Space size="small" wrap align="start">
              <DownloadButton
                size="small"
                type="link"
                testId={`notice-document-${notice.id}`}
                download={(onProgress) => downloadNoticeDocument(notice.id, notice.number, onProgress)}
              >
                {t('results.notices.document')}
              </DownloadButton>
              {notice.status === 'issued' && canAcknowledge?.(notice) && <AcknowledgeButton notice={notice} />}
            </Space>
          ),
        },
      ]}
      data-testid="notice-table"
    />
  );
}

interface FormValues {
  report_id: number;
  findings?: string;
  measures: string;
  deadline_date: Dayjs;
}

/** Today in Beijing, plus 30 days: the default deadline of a notice. */
export function defaultDeadline(now: Dayjs = dayjs()): Dayjs {
  return dayjs(now.tz(TIME_ZONE).format('YYYY-MM-DD')).add(30, 'day');
}

interface FormProps {
  cycleId: number;
  flagged: ResultItem[];
  /** Reports that already have a notice this cycle (one each). */
  noticed: ReadonlySet<number>;
  onClose: () => void;
}

/** Issue a rectification notice to a flagged report; findings default to what the results say. */
export function NoticeFormModal({ cycleId, flagged, noticed, onClose }: FormProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const issue = useIssueNotice(cycleId);
  const [error, setError] = useState<string | null>(null);
  const today = dayjs(dayjs().tz(TIME_ZONE).format('YYYY-MM-DD'));

  const submit = (values: FormValues) => {
    setError(null);
    const findings = values.findings?.trim();
    issue.mutate(
      {
        report_id: values.report_id,
        findings: findings ? findings : null,
        measures: values.measures.trim(),
        deadline_date: values.deadline_date.format('YYYY-MM-DD'),
      },
      {
        onSuccess: (notice) => {
          void message.success(t('results.notices.issued', { number: notice.number }));
          onClose();
        },
        onError: (cause) => {
          if (applyProblemToForm(form, cause)) return;
          const { title, detail } = describeError(t, cause);
          setError(detail ? `${title}: ${detail}` : title);
        },
      },
    );
  };

  return (
    <Modal
      open
      title={t('results.notices.issue')}
      okText={t('results.notices.issueConfirm')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={issue.isPending}
      destroyOnHidden
      width={680}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ deadline_date: defaultDeadline(), findings: '', measures: '' }}
        data-testid="notice-form"
      >
        <Form.Item name="report_id" label={t('results.notices.org')} rules={[{ required: true, message: t('results.notices.orgRequired') }]}>
          <Select
            aria-label={t('results.notices.org')}
            options={flagged.map((item) => ({
              value: item.report_id,
              disabled: noticed.has(item.report_id),
              label: noticed.has(item.report_id)
                ? t('results.notices.orgNoticed', { org: item.org_name, rank: item.rank ?? '—' })
                : t('results.notices.orgOption', { org: item.org_name, rank: item.rank ?? '—' }),
            }))}
          />
        </Form.Item>
        <Form.Item name="findings" label={t('results.notices.findings')} extra={t('results.notices.findingsHint')}>
          <Input.TextArea rows={4} maxLength={20000} />
        </Form.Item>
        <Form.Item
          name="measures"
          label={t('results.notices.measures')}
          rules={[{ required: true, whitespace: true, message: t('results.notices.measuresRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={20000} placeholder={t('results.notices.measuresPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="deadline_date"
          label={t('results.notices.deadline')}
          extra={t('results.notices.deadlineHint')}
          rules={[{ required: true, message: t('results.notices.deadlineRequired') }]}
        >
          <DatePicker style={{ width: '100%' }} disabledDate={(day) => !day.isAfter(today, 'day')} data-testid="notice-deadline" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
