import { App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

import type { CaseRead, CaseStatus, Satisfaction } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { useExtend, useTransition } from '../api';

const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const satisfies readonly Satisfaction[];

/** The next steps a case allows (from the API), plus the one-time extension; the page supplies the org picker. */
export function CaseActions({ petition, holderPicker }: { petition: CaseRead; holderPicker: ReactElement }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const transition = useTransition(petition.id);
  const extend = useExtend(petition.id);
  const [target, setTarget] = useState<CaseStatus | null>(null);
  const [extending, setExtending] = useState(false);
  const [form] = Form.useForm<{ holder_org_id?: number; note?: string; reason?: string; satisfaction?: Satisfaction | 'none' }>();
  const needsHolder = target === 'assigned' || target === 'transferred';

  const submit = async () => {
    const values = await form.validateFields();
    try {
      if (extending) {
        await extend.mutateAsync(values.reason ?? '');
      } else if (target) {
        const satisfaction = target === 'closed' && values.satisfaction && values.satisfaction !== 'none' ? values.satisfaction : undefined;
        await transition.mutateAsync({ to_status: target, holder_org_id: values.holder_org_id, note: values.note || undefined, satisfaction });
      }
      void message.success(t('petitions.moved'));
      setTarget(null);
      setExtending(false);
      form.resetFields();
    } catch (cause) {
      const { title, detail } = describeError(t, cause);
      void message.error(detail ? `${title}: ${detail}` : title);
    }
  };

  return (
    <>
      <Space wrap data-testid="case-actions">
        {petition.allowed_transitions.map((status) => (
          <Button key={status} onClick={() => setTarget(status)}>
            {t('petitions.moveTo', { status: t(`petitions.status.${status}`) })}
          </Button>
        ))}
        {petition.stage === 'handling' && !petition.extended && (
          <Button onClick={() => setExtending(true)}>{t('petitions.extend')}</Button>
        )}
      </Space>
      <Modal
        open={target !== null || extending}
        title={extending ? t('petitions.extendTitle') : t('petitions.moveTo', { status: target ? t(`petitions.status.${target}`) : '' })}
        onOk={() => void submit()}
        confirmLoading={transition.isPending || extend.isPending}
        onCancel={() => {
          setTarget(null);
          setExtending(false);
        }}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {needsHolder && (
            <Form.Item name="holder_org_id" label={t('petitions.holderOrg')} rules={[{ required: true }]}>
              {holderPicker}
            </Form.Item>
          )}
          {target === 'closed' && (
            <Form.Item name="satisfaction" label={t('petitionDesk.satisfaction.label')} initialValue="none">
              <Select
                data-testid="case-satisfaction"
                options={(['none', ...SATISFACTIONS] as const).map((value) => ({ value, label: t(`petitionDesk.satisfaction.${value}`) }))}
              />
            </Form.Item>
          )}
          {extending ? (
            <Form.Item name="reason" label={t('petitions.extensionReason')} rules={[{ required: true, min: 2 }]}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          ) : (
            <Form.Item name="note" label={t('petitions.note')}>
              <Input.TextArea rows={3} maxLength={4000} placeholder={t('petitions.notePlaceholder')} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
