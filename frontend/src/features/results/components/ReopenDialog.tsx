import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { describeError } from '../../../lib/errors';
import { applyProblemToForm } from '../../../lib/forms';
import { useReopenResults } from '../api';

/** Reopen published results (admin): the reason goes into the audit log. */
export function ReopenDialog({ cycleId, onClose }: { cycleId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const reopen = useReopenResults(cycleId);
  const [error, setError] = useState<string | null>(null);

  const submit = (values: { reason: string }) => {
    setError(null);
    reopen.mutate(values.reason.trim(), {
      onSuccess: () => {
        void message.success(t('results.reopen.done'));
        onClose();
      },
      onError: (cause) => {
        if (applyProblemToForm(form, cause)) return;
        const { title, detail } = describeError(t, cause);
        setError(detail ? `${title}: ${detail}` : title);
      },
    });
  };

  return (
    <Modal
      open
      title={t('results.reopen.title')}
      okText={t('results.reopen.confirm')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={reopen.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('results.reopen.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="reopen-error" />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ reason: '' }}>
        <Form.Item
          name="reason"
          label={t('results.reopen.reason')}
          rules={[
            { required: true, whitespace: true, message: t('results.reopen.reasonRequired') },
            { min: 4, message: t('results.reopen.reasonShort') },
          ]}
        >
          <Input.TextArea rows={3} maxLength={1000} data-testid="reopen-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
