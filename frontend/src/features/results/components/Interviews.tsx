import { Alert, App, DatePicker, Form, Input, Modal, Select, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { InterviewRead, ResultItem } from '../../../api/types';
import { formatDateTime, TIME_ZONE } from '../../../lib/datetime';
import { describeError } from '../../../lib/errors';
import { applyProblemToForm } from '../../../lib/forms';
import { downloadInterviewRecord, useRecordInterview } from '../api';
import { DownloadButton } from './DownloadButton';

/** The interviews (约谈) of a cycle. */
export function InterviewTable({ interviews, loading }: { interviews: InterviewRead[]; loading?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table<InterviewRead>
      rowKey="id"
      loading={loading}
      dataSource={interviews}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('results.interviews.empty') }}
      expandable={{
        expandedRowRender: (interview) => (
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{interview.notes || t('common.none')}</Typography.Paragraph>
        ),
        rowExpandable: (interview) => interview.notes.trim() !== '',
      }}
      columns={[
        { title: t('results.interviews.org'), dataIndex: 'org_name' },
        { title: t('results.interviews.heldAt'), dataIndex: 'held_at', render: (at: string) => formatDateTime(at) },
        { title: t('results.interviews.ledBy'), dataIndex: 'led_by' },
        { title: t('results.interviews.attendees'), dataIndex: 'attendees', render: (value: string) => value || '—' },
        { title: t('results.interviews.recordedAt'), dataIndex: 'created_at', render: (at: string) => formatDateTime(at) },
        {
          title: t('documents.interview.record'),
          key: 'document',
          render: (_, interview) => (
            <DownloadButton
              type="link"
              size="small"
              testId={`interview-document-${interview.id}`}
              download={(onProgress) => downloadInterviewRecord(interview.id, onProgress)}
            >
              {t('documents.interview.download')}
            </DownloadButton>
          ),
        },
      ]}
      data-testid="interview-table"
    />
  );
}

interface FormValues {
  report_id: number;
  held_at: Dayjs;
  led_by: string;
  attendees?: string;
  notes?: string;
}

interface FormProps {
  cycleId: number;
  /** The flagged reports of the published results: only they are interviewed. */
  flagged: ResultItem[];
  /** Reports that already have an interview, marked in the picker. */
  interviewed: ReadonlySet<number>;
  onClose: () => void;
}

/** Record an interview with a flagged report's secretary: when (Beijing time), who led it, who attended, what was said. */
export function InterviewFormModal({ cycleId, flagged, interviewed, onClose }: FormProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const record = useRecordInterview(cycleId);
  const [error, setError] = useState<string | null>(null);

  const submit = (values: FormValues) => {
    setError(null);
    record.mutate(
      {
        report_id: values.report_id,
        held_at: dayjs.tz(values.held_at.format('YYYY-MM-DDTHH:mm:00'), TIME_ZONE).toISOString(),
        led_by: values.led_by.trim(),
        attendees: values.attendees?.trim() ?? '',
        notes: values.notes?.trim() ?? '',
      },
      {
        onSuccess: () => {
          void message.success(t('results.interviews.recorded'));
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
      title={t('results.interviews.record')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={record.isPending}
      destroyOnHidden
      width={640}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ held_at: dayjs().tz(TIME_ZONE).startOf('hour'), attendees: '', notes: '' }}
        data-testid="interview-form"
      >
        <Form.Item name="report_id" label={t('results.interviews.org')} rules={[{ required: true, message: t('results.interviews.orgRequired') }]}>
          <Select
            aria-label={t('results.interviews.org')}
            options={flagged.map((item) => ({
              value: item.report_id,
              label: interviewed.has(item.report_id)
                ? t('results.interviews.orgInterviewed', { org: item.org_name, rank: item.rank ?? '—' })
                : t('results.interviews.orgOption', { org: item.org_name, rank: item.rank ?? '—' }),
            }))}
          />
        </Form.Item>
        <Form.Item name="held_at" label={t('results.interviews.heldAtBeijing')} rules={[{ required: true, message: t('results.interviews.heldAtRequired') }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="led_by"
          label={t('results.interviews.ledBy')}
          rules={[{ required: true, whitespace: true, message: t('results.interviews.ledByRequired') }]}
        >
          <Input maxLength={100} placeholder={t('results.interviews.ledByPlaceholder')} />
        </Form.Item>
        <Form.Item name="attendees" label={t('results.interviews.attendees')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="notes" label={t('results.interviews.notes')}>
          <Input.TextArea rows={5} maxLength={20000} placeholder={t('results.interviews.notesPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
