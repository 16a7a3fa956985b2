import { App, Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ReportStatus } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { useAcceptReport, useReturnReport } from '../api';

interface ReviewActionsProps {
  report: { id: number; status: ReportStatus; org: { name: string } };
  size?: 'small' | 'middle';
  onChanged?: () => void;
}

/** The host's accept and return-with-a-comment buttons for one report. */
export function ReviewActions({ report, size = 'small', onChanged }: ReviewActionsProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const accept = useAcceptReport();
  const giveBack = useReturnReport();
  const [returning, setReturning] = useState(false);
  const [form] = Form.useForm<{ comment: string }>();

  const fail = (error: unknown) => {
    const { title, detail } = describeError(t, error);
    void message.error(detail ? `${title}: ${detail}` : title);
  };

  return (
    <Space size="small">
      {report.status === 'submitted' && (
        <Button
          size={size}
          type="primary"
          loading={accept.isPending}
          onClick={() =>
            accept.mutate(
              { id: report.id },
              {
                onSuccess: () => {
                  void message.success(t('reports.accepted', { org: report.org.name }));
                  onChanged?.();
                },
                onError: fail,
              },
            )
          }
        >
          {t('reports.accept')}
        </Button>
      )}
      {(report.status === 'submitted' || report.status === 'accepted') && (
        <Button size={size} onClick={() => setReturning(true)}>
          {t('reports.return')}
        </Button>
      )}
      <Modal
        open={returning}
        title={t('reports.returnTitle', { org: report.org.name })}
        okText={t('reports.return')}
        cancelText={t('common.cancel')}
        confirmLoading={giveBack.isPending}
        onOk={() => form.submit()}
        onCancel={() => setReturning(false)}
        destroyOnHidden
        forceRender
      >
        <Form
          form={form}
          layout="vertical"
          name={`return-${report.id}`}
          onFinish={({ comment }) =>
            giveBack.mutate(
              { id: report.id, comment: comment.trim() },
              {
                onSuccess: () => {
                  void message.success(t('reports.returned', { org: report.org.name }));
                  setReturning(false);
                  form.resetFields();
                  onChanged?.();
                },
                onError: fail,
              },
            )
          }
        >
          <Form.Item
            name="comment"
            label={t('reports.comment')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('reports.commentRequired') }]}
          >
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
