import { App, DatePicker, Form, Input } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ResultItem } from '../../../api/types';
import { BatchConfirm, batchRefusal } from '../../../components/BatchConfirm';
import { TIME_ZONE } from '../../../lib/datetime';
import { useIssueNotices } from '../api';
import { defaultDeadline } from './Notices';

/** The flagged units of a cycle that have no notice yet, in ranking order. */
export function awaitingNotice(flagged: readonly ResultItem[], noticed: ReadonlySet<number>): ResultItem[] {
  return flagged.filter((item) => !noticed.has(item.report_id));
}

interface NoticeBatchModalProps {
  cycleId: number;
  /** The units that will receive a notice (flagged, none yet). */
  units: ResultItem[];
  onClose: () => void;
}

/** One notice to every flagged unit still without one: the confirmation names each, then one request issues them all. */
export function NoticeBatchModal({ cycleId, units, onClose }: NoticeBatchModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ measures: string; deadline_date: Dayjs }>();
  const issue = useIssueNotices(cycleId);
  const [error, setError] = useState<ReturnType<typeof batchRefusal> | null>(null);
  const today = dayjs(dayjs().tz(TIME_ZONE).format('YYYY-MM-DD'));

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setError(null);
    try {
      const issued = await issue.mutateAsync({
        report_ids: units.map((unit) => unit.report_id),
        measures: values.measures.trim(),
        deadline_date: values.deadline_date.format('YYYY-MM-DD'),
      });
      void message.success(t('batch.notices.done', { count: issued.length }));
      onClose();
    } catch (cause) {
      setError(batchRefusal(t, cause));
    }
  };

  return (
    <BatchConfirm
      open
      title={t('batch.notices.title')}
      intro={t('batch.notices.intro', { count: units.length })}
      lines={units.map((unit) => t('batch.notices.unit', { org: unit.org_name, rank: unit.rank ?? '—' }))}
      okText={t('batch.notices.confirm', { count: units.length })}
      onOk={() => void submit()}
      onCancel={onClose}
      loading={issue.isPending}
      error={error}
      testId="notice-batch-confirm"
    >
      <Form form={form} layout="vertical" initialValues={{ deadline_date: defaultDeadline(), measures: '' }}>
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
          <DatePicker style={{ width: '100%' }} disabledDate={(day) => !day.isAfter(today, 'day')} />
        </Form.Item>
      </Form>
    </BatchConfirm>
  );
}
