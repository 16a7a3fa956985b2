import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { RubricIn, RubricRead } from '../../../api/types';
import { compareDecimals, isDecimal, sumDecimals } from '../../../lib/decimal';
import { formErrorText } from '../../../lib/forms';
import { formulaName } from '../../../lib/formulas';
import { vetoFactName } from '../../../lib/vetoFacts';
import { formulasQuery, useSaveRubric, vetoFactsQuery } from '../api';

const TIERS = ['good', 'fairly_good', 'average', 'poor'] as const;
const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const DEFAULT_FRACTIONS = { good: '1', fairly_good: '0.85', average: '0.7', poor: '0.5' };

interface ItemValues {
  key: string;
  title: string;
  category?: string;
  source: 'ballot' | 'indicator';
  kind?: 'score' | 'tier' | null;
  max_points: string;
  formula?: string | null;
  description?: string;
}

export interface RubricFormValues {
  name: string;
  tier_fractions: Record<(typeof TIERS)[number], string>;
  items: ItemValues[];
  /** `fact`: the veto fact deciding it from the cycle's data; '' (人工认定): the organisation department sets it. */
  vetoes: { key: string; title: string; fact?: string }[];
}

function initialValues(rubric: RubricRead | null): RubricFormValues {
  if (!rubric) {
    return {
      name: '',
      tier_fractions: DEFAULT_FRACTIONS,
      items: [{ key: 'overall', title: '总体评价', category: '总体评价', source: 'ballot', kind: 'tier', max_points: '100' }],
      vetoes: [],
    };
  }
  return {
    name: rubric.name,
    tier_fractions: rubric.tier_fractions,
    items: rubric.items.map((item) => ({ ...item, category: item.category, description: item.description })),
    vetoes: rubric.vetoes.map((veto) => ({ key: veto.key, title: veto.title, fact: veto.fact ?? '' })),
  };
}

/** The request body for the values in the form: kind only on ballot items, formula only on indicators. */
export function toRubricIn(values: RubricFormValues): RubricIn {
  return {
    name: values.name.trim(),
    tier_fractions: values.tier_fractions,
    items: values.items.map((item) => ({
      key: item.key.trim(),
      title: item.title.trim(),
      category: item.category?.trim() ?? '',
      source: item.source,
      max_points: item.max_points.trim(),
      description: item.description?.trim() ?? '',
      ...(item.source === 'ballot' ? { kind: item.kind ?? null } : { formula: item.formula || 'manual' }),
    })),
    vetoes: values.vetoes.map((veto) => ({ key: veto.key.trim(), title: veto.title.trim(), fact: veto.fact || null })),
  };
}

interface RubricEditorProps {
  /** The rubric to edit, or null for a new one. */
  rubric: RubricRead | null;
  onSaved?: (rubric: RubricRead) => void;
}

/** Edit a rubric: the items with a running total of their maximum, the tier fractions, the vetoes. */
export function RubricEditor({ rubric, onSaved }: RubricEditorProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RubricFormValues>();
  const save = useSaveRubric();
  const formulas = useQuery(formulasQuery());
  const vetoFacts = useQuery(vetoFactsQuery());
  const [generalError, setGeneralError] = useState<string | null>(null);
  const items = Form.useWatch('items', form) ?? [];
  const total = sumDecimals(items.map((item) => item?.max_points));
  const ballotTotal = sumDecimals(items.filter((item) => item?.source === 'ballot').map((item) => item?.max_points));
  const indicatorTotal = sumDecimals(items.filter((item) => item?.source === 'indicator').map((item) => item?.max_points));

  const submit = (values: RubricFormValues) => {
    setGeneralError(null);
    save.mutate(
      { id: rubric?.id ?? null, body: toRubricIn(values) },
      {
        onSuccess: (saved) => {
          void message.success(saved.id !== rubric?.id && rubric ? t('rubrics.newVersionSaved', { version: saved.version }) : t('common.saved'));
          onSaved?.(saved);
        },
        onError: (error) => {
          setGeneralError(formErrorText(t, form, error));
        },
      },
    );
  };

  const uniqueKey = (index: number) => ({
    validator: async (_: unknown, value: string) => {
      const keys = (form.getFieldValue('items') as ItemValues[]).map((item) => item?.key?.trim());
      if (value && keys.some((key, i) => i !== index && key === value.trim())) throw new Error(t('rubrics.duplicateKey'));
    },
  });

  const positivePoints = {
    validator: async (_: unknown, value: string) => {
      if (!isDecimal(value) || compareDecimals(value, '0') <= 0) throw new Error(t('rubrics.pointsPositive'));
    },
  };

  // 认定依据: by hand, or one of the registered veto facts; a stored fact the server no longer lists is kept by its key.
  const factOptions = (current: string | undefined) => {
    const known = vetoFacts.data ?? [];
    const options = [
      { value: '', label: t('vetoFacts.manual') },
      ...known.map((f) => {
        const name = vetoFactName(t, f.name, f.description);
        return { value: f.name, label: f.available ? name : t('vetoFacts.notPluggedIn', { name }) };
      }),
    ];
    if (current && !known.some((f) => f.name === current)) options.push({ value: current, label: vetoFactName(t, current) });
    return options;
  };

  type Row = { name: number; key: number };
  const columns: TableColumnsType<Row> = [
    {
      title: t('rubrics.key'),
      width: 130,
      render: (_, field) => (
        <Form.Item
          name={[field.name, 'key']}
          rules={[
            { required: true, message: t('rubrics.keyRequired') },
            { pattern: KEY_PATTERN, message: t('rubrics.keyPattern') },
            uniqueKey(field.name),
          ]}
          noStyle={false}
          style={{ margin: 0 }}
        >
          <Input aria-label={t('rubrics.key')} maxLength={64} />
        </Form.Item>
      ),
    },
    {
      title: t('rubrics.itemTitle'),
      render: (_, field) => (
        <Form.Item name={[field.name, 'title']} rules={[{ required: true, whitespace: true, message: t('rubrics.titleRequired') }]} style={{ margin: 0 }}>
          <Input aria-label={t('rubrics.itemTitle')} maxLength={200} />
        </Form.Item>
      ),
    },
    {
      title: t('rubrics.category'),
      width: 120,
      render: (_, field) => (
        <Form.Item name={[field.name, 'category']} style={{ margin: 0 }}>
          <Input aria-label={t('rubrics.category')} maxLength={100} />
        </Form.Item>
      ),
    },
    {
      title: t('rubrics.source'),
      width: 120,
      render: (_, field) => (
        <Form.Item name={[field.name, 'source']} style={{ margin: 0 }}>
          <Select
            aria-label={t('rubrics.source')}
            options={(['ballot', 'indicator'] as const).map((s) => ({ value: s, label: t(`rubrics.sources.${s}`) }))}
          />
        </Form.Item>
      ),
    },
    {
      title: t('rubrics.kindOrFormula'),
      width: 200,
      render: (_, field) => (
        <Form.Item noStyle shouldUpdate={(a, b) => a.items?.[field.name]?.source !== b.items?.[field.name]?.source}>
          {({ getFieldValue }) =>
            getFieldValue(['items', field.name, 'source']) === 'indicator' ? (
              <Form.Item name={[field.name, 'formula']} style={{ margin: 0 }}>
                <Select
                  aria-label={t('rubrics.formula')}
                  placeholder={formulaName(t, 'manual')}
                  loading={formulas.isPending}
                  options={(formulas.data ?? [{ name: 'manual', description: '', available: false }]).map((f) => ({
                    value: f.name,
                    label: formulaName(t, f.name),
                  }))}
                />
              </Form.Item>
            ) : (
              <Form.Item name={[field.name, 'kind']} rules={[{ required: true, message: t('rubrics.kindRequired') }]} style={{ margin: 0 }}>
                <Select
                  aria-label={t('rubrics.kind')}
                  options={(['score', 'tier'] as const).map((k) => ({ value: k, label: t(`rubrics.kinds.${k}`) }))}
                />
              </Form.Item>
            )
          }
        </Form.Item>
      ),
    },
    {
      title: t('rubrics.maxPoints'),
      width: 110,
      render: (_, field) => (
        <Form.Item name={[field.name, 'max_points']} rules={[positivePoints]} style={{ margin: 0 }}>
          <Input aria-label={t('rubrics.maxPoints')} inputMode="decimal" />
        </Form.Item>
      ),
    },
  ];

  return (
    <Form<RubricFormValues>
      form={form}
      layout="vertical"
      initialValues={initialValues(rubric)}
      onFinish={submit}
      name="rubric-form"
      data-testid="rubric-editor"
    >
      {rubric?.frozen && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('rubrics.frozenNotice', { version: rubric.version + 1 })} />
      )}
      {generalError && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={generalError} role="alert" />}
      <Form.Item name="name" label={t('rubrics.name')} rules={[{ required: true, whitespace: true, message: t('rubrics.nameRequired') }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Card
        size="small"
        title={t('rubrics.items')}
        extra={
          <Space size="large" data-testid="rubric-total">
            <Statistic title={t('rubrics.ballotTotal')} value={ballotTotal} valueStyle={{ fontSize: 16 }} />
            <Statistic title={t('rubrics.indicatorTotal')} value={indicatorTotal} valueStyle={{ fontSize: 16 }} />
            <span data-testid="rubric-max-total">
              <Statistic title={t('rubrics.maxTotal')} value={total} valueStyle={{ fontSize: 16, fontWeight: 600 }} />
            </span>
          </Space>
        }
        style={{ marginBottom: 16 }}
      >
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              <Table<Row>
                size="small"
                pagination={false}
                rowKey="key"
                dataSource={fields.map((f) => ({ name: f.name, key: f.key }))}
                columns={[
                  ...columns,
                  {
                    width: 48,
                    render: (_, field) => (
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('rubrics.removeItem')}
                        onClick={() => remove(field.name)}
                        disabled={fields.length <= 1}
                      />
                    ),
                  },
                ]}
                scroll={{ x: 'max-content' }}
              />
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                style={{ marginTop: 12 }}
                onClick={() => add({ key: '', title: '', source: 'ballot', kind: 'score', max_points: '10' })}
              >
                {t('rubrics.addItem')}
              </Button>
            </>
          )}
        </Form.List>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('rubrics.tierFractions')} style={{ marginBottom: 16 }}>
            <Typography.Paragraph type="secondary">{t('rubrics.tierFractionsHelp')}</Typography.Paragraph>
            <Space wrap>
              {TIERS.map((tier) => (
                <Form.Item
                  key={tier}
                  name={['tier_fractions', tier]}
                  label={t(`tiers.${tier}`)}
                  rules={[
                    {
                      validator: async (_: unknown, value: string) => {
                        if (!isDecimal(value) || compareDecimals(value, '0') <= 0 || compareDecimals(value, '1') > 0) {
                          throw new Error(t('rubrics.fractionRange'));
                        }
                      },
                    },
                  ]}
                >
                  <Input inputMode="decimal" style={{ width: 90 }} />
                </Form.Item>
              ))}
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('rubrics.vetoes')} style={{ marginBottom: 16 }}>
            <Typography.Paragraph type="secondary">{t('vetoFacts.basisHelp')}</Typography.Paragraph>
            <Form.List name="vetoes">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field) => (
                    // Wraps on a phone: the key, title and delete button side by side are wider than 360 px.
                    <Space key={field.key} align="start" wrap style={{ display: 'flex' }}>
                      <Form.Item name={[field.name, 'key']} rules={[{ required: true, pattern: KEY_PATTERN, message: t('rubrics.keyPattern') }]}>
                        <Input placeholder={t('rubrics.key')} aria-label={t('rubrics.vetoKey')} style={{ width: 150 }} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'title']} rules={[{ required: true, whitespace: true, message: t('rubrics.titleRequired') }]}>
                        <Input placeholder={t('rubrics.itemTitle')} aria-label={t('rubrics.vetoTitle')} style={{ width: 240 }} />
                      </Form.Item>
                      <Form.Item noStyle shouldUpdate={(a, b) => a.vetoes?.[field.name]?.fact !== b.vetoes?.[field.name]?.fact}>
                        {({ getFieldValue }) => (
                          <Form.Item name={[field.name, 'fact']}>
                            <Select
                              aria-label={t('vetoFacts.basis')}
                              prefix={<Typography.Text type="secondary">{t('vetoFacts.basis')}</Typography.Text>}
                              loading={vetoFacts.isPending}
                              popupMatchSelectWidth={false}
                              style={{ width: 300 }}
                              options={factOptions(getFieldValue(['vetoes', field.name, 'fact']) as string | undefined)}
                            />
                          </Form.Item>
                        )}
                      </Form.Item>
                      <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('rubrics.removeVeto')} onClick={() => remove(field.name)} />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ key: '', title: '', fact: '' })}>
                    {t('rubrics.addVeto')}
                  </Button>
                </>
              )}
            </Form.List>
          </Card>
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('common.save')}
      </Button>
    </Form>
  );
}
