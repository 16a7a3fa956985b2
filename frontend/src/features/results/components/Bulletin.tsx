import { FileWordOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Form, InputNumber, Modal, Tooltip } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { describeError } from '../../../lib/errors';
import { applyProblemToForm } from '../../../lib/forms';
import { downloadBulletin } from '../api';

interface FormValues {
  number: number;
  dated?: Dayjs | null;
}

/** The results bulletin (通报) as Word: the clerk gives its number (and, if not the day of publication, its date). */
export function BulletinButton({ cycleId, published }: { cycleId: number; published: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<FormValues>();

  const submit = async (values: FormValues) => {
    setError(null);
    setBusy(true);
    try {
      await downloadBulletin(cycleId, { number: values.number, dated: values.dated?.format('YYYY-MM-DD') });
      void message.success(t('results.download.done'));
      setOpen(false);
    } catch (cause) {
      if (applyProblemToForm(form, cause)) return;
      const { title, detail } = describeError(t, cause);
      setError(detail ? `${title}: ${detail}` : title);
    } finally {
      setBusy(false);
    }
  };

  const button = (
    <Button icon={<FileWordOutlined />} disabled={!published} onClick={() => setOpen(true)} data-testid="download-bulletin">
      {t('documents.bulletin.action')}
    </Button>
  );
  return (
    <>
      {published ? button : <Tooltip title={t('documents.bulletin.afterPublication')}>{button}</Tooltip>}
      <Modal
        open={open}
        title={t('documents.bulletin.title')}
        okText={t('documents.bulletin.download')}
        cancelText={t('common.cancel')}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        confirmLoading={busy}
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="bulletin-error" />}
        <Form<FormValues> form={form} layout="vertical" initialValues={{ number: 1 }} onFinish={(values) => void submit(values)}>
          <Form.Item
            name="number"
            label={t('documents.bulletin.number')}
            extra={t('documents.bulletin.numberHelp')}
            rules={[{ required: true, type: 'integer', min: 1, max: 9999, message: t('documents.bulletin.numberRequired') }]}
          >
            <InputNumber min={1} max={9999} precision={0} style={{ width: 160 }} data-testid="bulletin-number" />
          </Form.Item>
          <Form.Item name="dated" label={t('documents.bulletin.dated')} extra={t('documents.bulletin.datedHelp')}>
            <DatePicker style={{ width: 200 }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
