import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Space } from 'antd';
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

import { describeError } from '../../../lib/errors';
import { useAddReport } from '../api';

interface AddReportProps {
  cycleId: number;
  /** An organisation picker (a form control), supplied by the page. */
  orgSelect: ReactElement;
  onAdded?: () => void;
}

/** Add a reporting organisation to a cycle in preparation; its report starts as a draft. */
export function AddReport({ cycleId, orgSelect, onAdded }: AddReportProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ org_id: number | null }>();
  const add = useAddReport();
  return (
    <Form
      form={form}
      layout="inline"
      name="add-report"
      onFinish={({ org_id }) => {
        if (!org_id) return;
        add.mutate(
          { id: cycleId, orgId: org_id },
          {
            onSuccess: () => {
              void message.success(t('cycles.reportAdded'));
              form.resetFields();
              onAdded?.();
            },
            onError: (error) => {
              const { title, detail } = describeError(t, error);
              void message.error(detail ? `${title}: ${detail}` : title);
            },
          },
        );
      }}
    >
      {/* The picker takes what the button leaves, up to 420 px in all: on a 360 px phone the pair fits. */}
      <Space.Compact style={{ width: '100%', maxWidth: 420 }}>
        <Form.Item name="org_id" noStyle rules={[{ required: true, message: t('cycles.pickOrg') }]}>
          {orgSelect}
        </Form.Item>
        <Button htmlType="submit" icon={<PlusOutlined />} loading={add.isPending}>
          {t('cycles.addReport')}
        </Button>
      </Space.Compact>
    </Form>
  );
}
