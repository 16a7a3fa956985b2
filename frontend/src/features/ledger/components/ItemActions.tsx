import { App, Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { LedgerItem, LedgerStatus } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { useTransition } from '../api';

/** The word for a step: done → in_progress sends an item back, rejected → open reopens it. */
export function actionKey(from: LedgerStatus, to: LedgerStatus): string {
  if (from === 'done' && to === 'in_progress') return 'send_back';
  return to;
}

function needsReason(from: LedgerStatus, to: LedgerStatus): boolean {
  return to === 'rejected' || (from === 'done' && to === 'in_progress');
}

/** The steps this user may take now (from the API), each confirmed with a note; a reason where one is due. */
export function ItemActions({ item }: { item: LedgerItem }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const transition = useTransition(item.id);
  const [target, setTarget] = useState<LedgerStatus | null>(null);
  const [form] = Form.useForm<{ note?: string }>();
  const reason = target !== null && needsReason(item.status, target);
  const label = (to: LedgerStatus) => t(`ledger.action.${actionKey(item.status, to)}` as 'ledger.action.open');

  const submit = async () => {
    // An invalid form shows its messages; there is nothing more to do.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    if (!target) return;
    try {
      await transition.mutateAsync({ to: target, note: values.note?.trim() || undefined });
      void message.success(t('ledger.moved'));
      setTarget(null);
      form.resetFields();
    } catch (cause) {
      const { title, detail } = describeError(t, cause);
      void message.error(detail ? `${title}: ${detail}` : title);
    }
  };

  if (item.allowed_transitions.length === 0) return null;
  return (
    <>
      <Space wrap data-testid="ledger-actions">
        {item.allowed_transitions.map((to) => (
          <Button key={to} type={to === 'verified' || to === 'done' ? 'primary' : 'default'} danger={to === 'rejected'} onClick={() => setTarget(to)}>
            {label(to)}
          </Button>
        ))}
      </Space>
      <Modal
        open={target !== null}
        title={target ? t('ledger.moveTitle', { status: label(target) }) : ''}
        onOk={() => void submit()}
        confirmLoading={transition.isPending}
        onCancel={() => setTarget(null)}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="note"
            label={reason ? t('ledger.reason') : t('ledger.note')}
            rules={reason ? [{ required: true, whitespace: true, message: t('ledger.reasonRequired') }] : []}
          >
            <Input.TextArea rows={3} maxLength={4000} placeholder={reason ? t('ledger.reasonRequired') : t('ledger.notePlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
