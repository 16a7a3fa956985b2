import { Alert, App, DatePicker, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PROJECT_STAGES, type ProjectRead, type ProjectStage, type ProjectUpdate } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { useMoveStage } from '../api';
import { isAmount, isMoveBack, lastMoveDay, plain, stageIndex } from '../logic';
import { ProjectStageTag } from './Tags';

interface Values {
  to: ProjectStage | null;
  on_date: Dayjs | null;
  reason: string;
  evidence: string;
  contract_amount: string;
  funds_in_place: string;
}

interface StageMoveModalProps {
  programmeId: number;
  project: ProjectRead;
  /** Today in Beijing (YYYY-MM-DD): the default day, unless the last move is later. */
  today: string;
  onClose: () => void;
}

/**
 * Move a project forward (each stage passed is reached that day) or back to an earlier stage with a reason; the
 * evidence and the amounts can be brought up to date in the same step.
 */
export function StageMoveModal({ programmeId, project, today, onClose }: StageMoveModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const move = useMoveStage(programmeId);
  const [generalError, setGeneralError] = useState<string | null>(null);
  const last = lastMoveDay(project);
  const to = Form.useWatch('to', form);
  const back = to ? isMoveBack(project.stage, to) : false;
  const forwardTo = (stage: ProjectStage) => to !== null && to !== undefined && !back && stageIndex(to) >= stageIndex(stage);
  const nextStage = PROJECT_STAGES[stageIndex(project.stage) + 1] ?? null;
  const amountRule = {
    validator: async (_: unknown, value: string) => {
      if (value && !isAmount(value)) throw new Error(t('targets.project.amountInvalid'));
    },
  };

  const submit = (values: Values) => {
    setGeneralError(null);
    if (!values.to || !values.on_date) return;
    const details: ProjectUpdate = {};
    if (values.evidence.trim() !== project.evidence) details.evidence = values.evidence.trim();
    if (forwardTo('signed') && (values.contract_amount.trim() || '0') !== plain(project.contract_amount)) {
      details.contract_amount = values.contract_amount.trim() || '0';
    }
    if (forwardTo('landed') && (values.funds_in_place.trim() || '0') !== plain(project.funds_in_place)) {
      details.funds_in_place = values.funds_in_place.trim() || '0';
    }
    const target = values.to;
    move.mutate(
      {
        id: project.id,
        move: { to: target, on_date: values.on_date.format('YYYY-MM-DD'), reason: back ? values.reason.trim() : '' },
        details,
      },
      {
        onSuccess: () => {
          const stage = t(`targets.stages.${target}`);
          void message.success(back ? t('targets.move.movedBack', { stage }) : t('targets.move.moved', { stage }));
          onClose();
        },
        onError: (error) => {
          const { title, detail } = describeError(t, error);
          setGeneralError(detail ? `${title}: ${detail}` : title);
        },
      },
    );
  };

  return (
    <Modal
      open
      width={560}
      title={t('targets.move.title', { company: project.company })}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={move.isPending}
      destroyOnHidden
      forceRender
    >
      <Form<Values>
        form={form}
        layout="vertical"
        name="stage-move-form"
        onFinish={submit}
        initialValues={{
          to: nextStage,
          on_date: dayjs(today < last ? last : today),
          reason: '',
          evidence: project.evidence,
          contract_amount: plain(project.contract_amount),
          funds_in_place: plain(project.funds_in_place),
        }}
      >
        {generalError && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={generalError} role="alert" />}
        <Form.Item label={t('targets.move.current')}>
          <ProjectStageTag stage={project.stage} />
        </Form.Item>
        <Form.Item
          name="to"
          label={t('targets.move.to')}
          rules={[
            { required: true, message: t('targets.move.toRequired') },
            {
              validator: async (_, value: ProjectStage | null) => {
                if (value === project.stage) throw new Error(t('targets.move.sameStage'));
              },
            },
          ]}
        >
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="move-to">
            {PROJECT_STAGES.filter((stage) => stage !== project.stage).map((stage) => (
              <Radio.Button key={stage} value={stage}>
                {isMoveBack(project.stage, stage) ? `${t('targets.move.back')} ${t(`targets.stages.${stage}`)}` : t(`targets.stages.${stage}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {back ? (
          <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('targets.move.backWarning')} data-testid="move-back-warning" />
        ) : (
          to && stageIndex(to) > stageIndex(project.stage) + 1 && <Typography.Paragraph type="secondary">{t('targets.move.forward')}</Typography.Paragraph>
        )}
        <Form.Item
          name="on_date"
          label={t('targets.move.onDate')}
          rules={[
            { required: true, message: t('targets.move.onDateRequired') },
            {
              validator: async (_, value: Dayjs | null) => {
                if (value && value.format('YYYY-MM-DD') < last) throw new Error(t('targets.move.tooEarly', { day: last }));
              },
            },
          ]}
        >
          <DatePicker style={{ width: '100%' }} aria-label={t('targets.move.onDate')} />
        </Form.Item>
        {back && (
          <Form.Item name="reason" label={t('targets.move.reason')} rules={[{ required: true, whitespace: true, message: t('targets.move.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={1000} data-testid="move-reason" />
          </Form.Item>
        )}
        {!back && (
          <Space wrap align="start">
            {forwardTo('signed') && (
              <Form.Item name="contract_amount" label={t('targets.project.contractAmount')} rules={[amountRule]}>
                <Input inputMode="decimal" style={{ width: 200 }} />
              </Form.Item>
            )}
            {forwardTo('landed') && (
              <Form.Item name="funds_in_place" label={t('targets.project.fundsInPlace')} rules={[amountRule]}>
                <Input inputMode="decimal" style={{ width: 200 }} />
              </Form.Item>
            )}
          </Space>
        )}
        <Form.Item name="evidence" label={t('targets.project.evidence')}>
          <Input.TextArea rows={3} maxLength={4000} placeholder={t('targets.project.evidencePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
