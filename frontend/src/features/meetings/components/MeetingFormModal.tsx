import { useQuery } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Direction, MeetingRead } from '../../../api/types';
import { TIME_ZONE } from '../../../lib/datetime';
import { formErrorText } from '../../../lib/forms';
import { agendaCandidatesQuery, useCreateMeeting } from '../api';

interface Values {
  title: string;
  direction: Direction;
  report_ids: number[];
  starts_at: Dayjs;
}

/** A picked wall-clock time, read as Beijing time, as the UTC instant the API takes. */
export function beijingToUtc(value: Dayjs): string {
  return dayjs.tz(value.format('YYYY-MM-DDTHH:mm:00'), TIME_ZONE).toISOString();
}

interface Props {
  cycleId: number;
  onClose: () => void;
  onCreated?: (meeting: MeetingRead) => void;
}

/** Schedule a meeting: title, direction, the agenda (in the order picked) and its start. */
export function MeetingFormModal({ cycleId, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const reports = useQuery(agendaCandidatesQuery(cycleId));
  const create = useCreateMeeting(cycleId);
  const [generalError, setGeneralError] = useState<string | null>(null);

  const submit = (values: Values) => {
    setGeneralError(null);
    create.mutate(
      {
        title: values.title.trim(),
        direction: values.direction,
        report_ids: values.report_ids,
        starts_at: beijingToUtc(values.starts_at),
      },
      {
        onSuccess: (meeting) => {
          void message.success(t('meetings.form.created'));
          onCreated?.(meeting);
          onClose();
        },
        onError: (error) => {
          setGeneralError(formErrorText(t, form, error));
        },
      },
    );
  };

  const options = (reports.data?.items ?? [])
    .slice()
    .sort((a, b) => a.position - b.position)
    .map((report) => ({ value: report.id, label: `${report.org.name} · ${report.title}` }));

  return (
    <Modal
      open
      title={t('meetings.create')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={640}
    >
      {generalError && <Alert type="error" showIcon message={generalError} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ direction: 'upward', report_ids: [], starts_at: dayjs().tz(TIME_ZONE).add(1, 'hour').startOf('hour') }}
        data-testid="meeting-form"
      >
        <Form.Item name="title" label={t('meetings.form.title')} rules={[{ required: true, whitespace: true, message: t('meetings.form.titleRequired') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="direction" label={t('meetings.form.direction')}>
          <Radio.Group
            options={(['upward', 'downward'] as const).map((direction) => ({ value: direction, label: t(`meetings.direction.${direction}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="report_ids"
          label={t('meetings.form.reports')}
          extra={t('meetings.form.reportsHint')}
          rules={[{ required: true, type: 'array', min: 1, message: t('meetings.form.reportsRequired') }]}
        >
          <Select
            mode="multiple"
            loading={reports.isPending}
            options={options}
            optionFilterProp="label"
            notFoundContent={reports.isPending ? undefined : t('meetings.form.reportsEmpty')}
            aria-label={t('meetings.form.reports')}
          />
        </Form.Item>
        <Form.Item name="starts_at" label={t('meetings.form.startsAt')} rules={[{ required: true, message: t('meetings.form.startsAtRequired') }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
