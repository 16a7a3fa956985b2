import { CheckCircleOutlined, DeleteOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, InputNumber, Select, Space, Switch, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { GroupIn, GroupRead } from '../../../api/types';
import { compareDecimals, isDecimal, sumDecimals } from '../../../lib/decimal';
import { formErrorText } from '../../../lib/forms';
import { useSaveGroups } from '../api';

interface GroupValues {
  key: string;
  name: string;
  weight: string;
  aggregation: 'mean' | 'trimmed_mean';
  trim: number | null;
  anonymous: boolean;
  expected: number;
  quorum: number;
}

interface FormValues {
  groups: GroupValues[];
}

export function toGroupsIn(values: FormValues): GroupIn[] {
  return values.groups.map((g) => ({
    key: g.key.trim(),
    name: g.name.trim(),
    weight: g.weight.trim(),
    aggregation: g.aggregation,
    trim: g.aggregation === 'trimmed_mean' ? (g.trim ?? 1) : 0,
    anonymous: g.anonymous,
    expected: g.expected ?? 0,
    quorum: g.quorum ?? 1,
  }));
}

/** The weights as typed, their exact sum, and whether it is 1 (what the evaluation gate needs). */
export function WeightSum({ weights }: { weights: readonly (string | undefined)[] }) {
  const { t } = useTranslation();
  const sum = sumDecimals(weights);
  const ok = compareDecimals(sum, '1') === 0;
  return (
    <Tag color={ok ? 'success' : 'warning'} icon={ok ? <CheckCircleOutlined /> : <WarningOutlined />} data-testid="weight-sum">
      {ok ? t('groups.weightSumOk', { sum }) : t('groups.weightSumBad', { sum })}
    </Tag>
  );
}

interface GroupsEditorProps {
  cycleId: number;
  groups: GroupRead[];
  /** Groups change only in preparation and only for the host. */
  editable: boolean;
}

/** The evaluator groups: weights with a live sum check, aggregation, anonymity, expected count, quorum. */
export function GroupsEditor({ cycleId, groups, editable }: GroupsEditorProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const save = useSaveGroups();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const watched = Form.useWatch('groups', form) ?? groups;

  const submit = (values: FormValues) => {
    setGeneralError(null);
    save.mutate(
      { id: cycleId, groups: toGroupsIn(values) },
      {
        onSuccess: () => void message.success(t('common.saved')),
        onError: (error) => {
          setGeneralError(formErrorText(t, form, error));
        },
      },
    );
  };

  type Row = { name: number; key: number };
  const columns: TableColumnsType<Row> = [
    {
      title: t('groups.key'),
      width: 120,
      render: (_, f) => (
        <Form.Item name={[f.name, 'key']} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]*$/, message: t('groups.keyPattern') }]} style={{ margin: 0 }}>
          <Input aria-label={t('groups.key')} maxLength={32} disabled={!editable} />
        </Form.Item>
      ),
    },
    {
      title: t('groups.name'),
      render: (_, f) => (
        <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('groups.nameRequired') }]} style={{ margin: 0 }}>
          <Input aria-label={t('groups.name')} maxLength={100} disabled={!editable} />
        </Form.Item>
      ),
    },
    {
      title: t('groups.weight'),
      width: 100,
      render: (_, f) => (
        <Form.Item
          name={[f.name, 'weight']}
          rules={[
            {
              validator: async (_r: unknown, value: string) => {
                if (!isDecimal(value) || compareDecimals(value, '0') <= 0 || compareDecimals(value, '1') > 0) {
                  throw new Error(t('groups.weightRange'));
                }
              },
            },
          ]}
          style={{ margin: 0 }}
        >
          <Input aria-label={t('groups.weight')} inputMode="decimal" disabled={!editable} />
        </Form.Item>
      ),
    },
    {
      title: t('groups.aggregation'),
      width: 190,
      render: (_, f) => (
        <Space.Compact>
          <Form.Item name={[f.name, 'aggregation']} style={{ margin: 0 }}>
            <Select
              aria-label={t('groups.aggregation')}
              style={{ width: 130 }}
              disabled={!editable}
              options={(['mean', 'trimmed_mean'] as const).map((a) => ({ value: a, label: t(`groups.aggregations.${a}`) }))}
            />
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {({ getFieldValue }) =>
              getFieldValue(['groups', f.name, 'aggregation']) === 'trimmed_mean' ? (
                <Form.Item name={[f.name, 'trim']} style={{ margin: 0 }}>
                  <InputNumber aria-label={t('groups.trim')} min={1} max={50} precision={0} style={{ width: 60 }} disabled={!editable} />
                </Form.Item>
              ) : null
            }
          </Form.Item>
        </Space.Compact>
      ),
    },
    {
      title: t('groups.anonymous'),
      width: 80,
      render: (_, f) => (
        <Form.Item name={[f.name, 'anonymous']} valuePropName="checked" style={{ margin: 0 }}>
          <Switch aria-label={t('groups.anonymous')} disabled={!editable} />
        </Form.Item>
      ),
    },
    {
      title: t('groups.expected'),
      width: 90,
      render: (_, f) => (
        <Form.Item name={[f.name, 'expected']} style={{ margin: 0 }}>
          <InputNumber aria-label={t('groups.expected')} min={0} max={100000} precision={0} disabled={!editable} />
        </Form.Item>
      ),
    },
    {
      title: t('groups.quorum'),
      width: 90,
      render: (_, f) => (
        <Form.Item name={[f.name, 'quorum']} style={{ margin: 0 }}>
          <InputNumber aria-label={t('groups.quorum')} min={1} max={100000} precision={0} disabled={!editable} />
        </Form.Item>
      ),
    },
    {
      title: t('groups.members'),
      width: 80,
      render: (_, f) => groups.find((g) => g.key === watched[f.name]?.key)?.member_count ?? 0,
    },
  ];

  return (
    <Form<FormValues>
      form={form}
      initialValues={{ groups: groups.map((g) => ({ ...g, trim: g.trim || null })) }}
      onFinish={submit}
      name="groups-form"
      data-testid="groups-editor"
    >
      {generalError && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={generalError} role="alert" />}
      <Form.List name="groups">
        {(fields, { add, remove }) => (
          <>
            <Table<Row>
              size="small"
              pagination={false}
              rowKey="key"
              dataSource={fields.map((f) => ({ name: f.name, key: f.key }))}
              columns={[
                ...columns,
                ...(editable
                  ? [
                      {
                        width: 48,
                        render: (_: unknown, f: Row) => (
                          <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('groups.remove')} onClick={() => remove(f.name)} />
                        ),
                      },
                    ]
                  : []),
              ]}
              scroll={{ x: 'max-content' }}
            />
            <Space style={{ marginTop: 12 }} wrap>
              <WeightSum weights={watched.map((g) => g?.weight)} />
              {editable && (
                <>
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ key: '', name: '', weight: '0', aggregation: 'mean', trim: null, anonymous: false, expected: 0, quorum: 1 })}
                    disabled={fields.length >= 10}
                  >
                    {t('groups.add')}
                  </Button>
                  <Button type="primary" htmlType="submit" loading={save.isPending}>
                    {t('common.save')}
                  </Button>
                </>
              )}
            </Space>
          </>
        )}
      </Form.List>
    </Form>
  );
}
