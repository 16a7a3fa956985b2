import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { MEASURE_BASES, PROJECT_STAGES, type MeasureBasis, type MeasureRead, type ProjectStage } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { sumDecimals } from '../../../lib/decimal';
import { describeError } from '../../../lib/errors';
import { formErrorText } from '../../../lib/forms';
import { measuresQuery, useDeleteMeasure, useSaveMeasure } from '../api';
import { plain, suggestMeasureKey } from '../logic';
import { ProjectStageTag } from './Tags';

interface Values {
  name: string;
  unit: string;
  more_is_better: boolean;
  weight: string;
  stage: ProjectStage;
  basis: MeasureBasis;
  position: number;
}

const WEIGHT = /^(?!0+(\.0+)?$)\d{1,4}(\.\d{1,4})?$/;

function MeasureFormModal({
  programmeId,
  measure,
  taken,
  nextPosition,
  onClose,
}: {
  programmeId: number;
  measure: MeasureRead | null;
  taken: string[];
  nextPosition: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveMeasure(programmeId);
  const [generalError, setGeneralError] = useState<string | null>(null);

  const submit = (values: Values) => {
    setGeneralError(null);
    const key = measure?.key ?? suggestMeasureKey(values.stage, values.basis, taken);
    save.mutate(
      { id: measure?.id ?? null, body: { ...values, name: values.name.trim(), unit: values.unit.trim(), key } },
      {
        onSuccess: () => {
          void message.success(t('targets.measures.saved'));
          onClose();
        },
        onError: (error) => {
          setGeneralError(formErrorText(t, form, error));
        },
      },
    );
  };

  return (
    <Modal
      open
      title={measure ? t('targets.measures.edit') : t('targets.measures.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      forceRender
    >
      <Form<Values>
        form={form}
        layout="vertical"
        name="measure-form"
        onFinish={submit}
        initialValues={
          measure
            ? { ...measure, weight: plain(measure.weight) }
            : { name: '', unit: '个', more_is_better: true, weight: '1', stage: 'signed', basis: 'projects', position: nextPosition }
        }
      >
        {generalError && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={generalError} role="alert" />}
        <Form.Item name="name" label={t('targets.measures.name')} rules={[{ required: true, whitespace: true, message: t('targets.measures.nameRequired') }]}>
          <Input maxLength={100} placeholder={t('targets.measures.namePlaceholder')} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="unit" label={t('targets.measures.unit')} rules={[{ required: true, whitespace: true, message: t('targets.measures.unitRequired') }]}>
            <Input maxLength={20} placeholder={t('targets.measures.unitPlaceholder')} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="weight" label={t('targets.measures.weight')} rules={[{ pattern: WEIGHT, required: true, message: t('targets.measures.weightRequired') }]}>
            <Input inputMode="decimal" style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="position" label={t('targets.measures.position')}>
            <InputNumber min={0} max={1000} precision={0} style={{ width: 100 }} />
          </Form.Item>
        </Space>
        <Form.Item name="stage" label={t('targets.measures.stage')} tooltip={t('targets.measures.stageHint')}>
          <Select
            aria-label={t('targets.measures.stage')}
            options={PROJECT_STAGES.map((stage) => ({ value: stage, label: t(`targets.stages.${stage}`) }))}
            data-testid="measure-stage"
          />
        </Form.Item>
        <Form.Item name="basis" label={t('targets.measures.basis')}>
          <Select
            aria-label={t('targets.measures.basis')}
            options={MEASURE_BASES.map((basis) => ({ value: basis, label: t(`targets.basis.${basis}`) }))}
            data-testid="measure-basis"
          />
        </Form.Item>
        <Form.Item name="more_is_better" label={t('targets.measures.direction')}>
          <Radio.Group>
            <Radio value>{t('targets.measures.higher')}</Radio>
            <Radio value={false}>{t('targets.measures.lower')}</Radio>
          </Radio.Group>
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A programme's measures: what each unit is held to, with its unit, weight and the stage it counts at. */
export function MeasuresPanel({ programmeId, editable }: { programmeId: number; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const measures = useQuery(measuresQuery(programmeId));
  const remove = useDeleteMeasure(programmeId);
  const [editing, setEditing] = useState<MeasureRead | 'new' | null>(null);

  if (measures.isError) return <ErrorResult error={measures.error} onRetry={() => void measures.refetch()} />;
  const rows = measures.data ?? [];
  const total = sumDecimals(rows.map((m) => m.weight));

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {editable && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="measure-add">
          {t('targets.measures.add')}
        </Button>
      )}
      <Table<MeasureRead>
        rowKey="id"
        size="small"
        loading={measures.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('targets.measures.empty') }}
        data-testid="measure-table"
        columns={[
          { key: 'name', title: t('targets.measures.name'), dataIndex: 'name' },
          { key: 'unit', title: t('targets.measures.unit'), dataIndex: 'unit' },
          {
            key: 'direction',
            title: t('targets.measures.direction'),
            render: (_, m) => (m.more_is_better ? t('targets.measures.higher') : t('targets.measures.lower')),
          },
          { key: 'weight', title: t('targets.measures.weight'), align: 'right', render: (_, m) => plain(m.weight) },
          { key: 'stage', title: t('targets.measures.stage'), render: (_, m) => <ProjectStageTag stage={m.stage} /> },
          { key: 'basis', title: t('targets.measures.basis'), render: (_, m) => t(`targets.basis.${m.basis}`) },
          ...(editable
            ? [
                {
                  key: 'actions',
                  title: t('common.actions'),
                  render: (_: unknown, m: MeasureRead) => (
                    <Space size={4}>
                      <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(m)} aria-label={`${t('common.edit')} ${m.name}`}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={t('targets.measures.deleteConfirm', { name: m.name })}
                        okText={t('common.ok')}
                        cancelText={t('common.cancel')}
                        onConfirm={() =>
                          remove.mutateAsync(m.id).then(
                            () => void message.success(t('targets.measures.deleted')),
                            (error: unknown) => void message.error(describeError(t, error).detail ?? describeError(t, error).title),
                          )
                        }
                      >
                        <Button size="small" danger icon={<DeleteOutlined />} aria-label={`${t('targets.measures.delete')} ${m.name}`} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {rows.length > 0 && <Typography.Text type="secondary">{t('targets.measures.weightTotal', { total })}</Typography.Text>}
      {editing && (
        <MeasureFormModal
          programmeId={programmeId}
          measure={editing === 'new' ? null : editing}
          taken={rows.map((m) => m.key)}
          nextPosition={rows.length === 0 ? 0 : Math.max(...rows.map((m) => m.position)) + 1}
          onClose={() => setEditing(null)}
        />
      )}
    </Space>
  );
}
