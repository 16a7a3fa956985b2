import { Alert, App, Button, Form, Input, Modal, Popconfirm, Space, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { CYCLE_STAGES, type Blocker, type CycleRead } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { useAdvanceCycle, useRevertCycle } from '../api';

const KNOWN_BLOCKERS = ['no_rubric', 'no_groups', 'weights_sum', 'group_without_members', 'no_reports', 'reports_not_accepted'] as const;

/** A gate blocker in the UI language when we know its code, else as the server says it. */
export function useBlockerText() {
  const { t } = useTranslation();
  return (blocker: Blocker) =>
    (KNOWN_BLOCKERS as readonly string[]).includes(blocker.code)
      ? t(`gate.blockers.${blocker.code as (typeof KNOWN_BLOCKERS)[number]}`, blocker.params)
      : blocker.message;
}

interface StageStepsProps {
  cycle: CycleRead;
  /** Administrators may take the cycle back a stage. */
  canRevert: boolean;
}

/** The four stages as a stepper, what blocks the next one, and the buttons that move the cycle. */
export function StageSteps({ cycle, canRevert }: StageStepsProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const advance = useAdvanceCycle();
  const revert = useRevertCycle();
  const blockerText = useBlockerText();
  const [reverting, setReverting] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const current = CYCLE_STAGES.indexOf(cycle.stage);
  const gate = cycle.next_gate;

  const fail = (error: unknown) => {
    const { title, detail } = describeError(t, error);
    void message.error(detail ? `${title}: ${detail}` : title);
  };

  const doAdvance = () => {
    if (!gate.to) return;
    advance.mutate(
      { id: cycle.id, to: gate.to },
      { onSuccess: (next) => void message.success(t('gate.advanced', { stage: t(`stages.${next.stage}`) })), onError: fail },
    );
  };

  const doRevert = ({ reason }: { reason: string }) =>
    revert.mutate(
      { id: cycle.id, reason: reason.trim() },
      {
        onSuccess: (next) => {
          void message.success(t('gate.reverted', { stage: t(`stages.${next.stage}`) }));
          setReverting(false);
          form.resetFields();
        },
        onError: fail,
      },
    );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Steps
        current={current}
        status={cycle.stage === 'closed' ? 'finish' : 'process'}
        items={CYCLE_STAGES.map((stage) => ({ title: t(`stages.${stage}`), description: t(`stageHints.${stage}`) }))}
        data-testid="stage-steps"
        responsive
      />
      {gate.to ? (
        gate.ready ? (
          <Alert
            type="success"
            showIcon
            message={t('gate.ready', { stage: t(`stages.${gate.to}`) })}
            data-testid="gate"
          />
        ) : (
          <Alert
            type="warning"
            showIcon
            message={t('gate.blocked', { stage: t(`stages.${gate.to}`) })}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {gate.blockers.map((blocker) => (
                  <li key={blocker.code + blocker.message}>{blockerText(blocker)}</li>
                ))}
              </ul>
            }
            data-testid="gate"
          />
        )
      ) : (
        <Alert type="info" showIcon message={t('gate.closed')} data-testid="gate" />
      )}
      {cycle.can_manage && (
        <Space wrap>
          {gate.to && (
            <Popconfirm
              title={t('gate.confirmAdvance', { stage: t(`stages.${gate.to}`) })}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={doAdvance}
              disabled={!gate.ready}
            >
              <Button type="primary" disabled={!gate.ready} loading={advance.isPending} data-testid="advance">
                {t('gate.advance', { stage: t(`stages.${gate.to}`) })}
              </Button>
            </Popconfirm>
          )}
          {canRevert && current > 0 && (
            <Button danger onClick={() => setReverting(true)}>
              {t('gate.revert')}
            </Button>
          )}
        </Space>
      )}
      <Modal
        open={reverting}
        title={t('gate.revertTitle', { stage: t(`stages.${CYCLE_STAGES[Math.max(0, current - 1)] ?? 'preparation'}`) })}
        okText={t('gate.revert')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        confirmLoading={revert.isPending}
        onOk={() => form.submit()}
        onCancel={() => setReverting(false)}
        destroyOnHidden
        forceRender
      >
        <Typography.Paragraph type="secondary">{t('gate.revertHelp')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={doRevert} name="revert-form">
          <Form.Item
            name="reason"
            label={t('gate.reason')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('gate.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
