import { PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { OpinionCreate, OpinionQuery, OpinionRead } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { describeError } from '../../../lib/errors';
import { applyProblemToForm } from '../../../lib/forms';
import { opinionsQuery, unfiledQuery, useCreateOpinion, useHarvest } from '../api';
import { DEFAULT_CATEGORIES } from './categories';

interface OpinionsViewProps {
  cycleId: number;
  canManage: boolean;
  /** The page's organisation picker for the entry form (features do not import each other). */
  orgPicker: ReactElement;
}

function OpinionForm({ cycleId, orgPicker }: { cycleId: number; orgPicker: ReactElement }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const create = useCreateOpinion(cycleId);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<OpinionCreate>();

  const submit = async () => {
    // An invalid form shows its messages; there is nothing more to do.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    try {
      await create.mutateAsync({ ...values, source: values.meeting_id ? 'meeting' : 'clerk' });
      void message.success(t('ledger.opinionSaved'));
      setOpen(false);
      form.resetFields();
    } catch (cause) {
      if (!applyProblemToForm(form, cause)) void message.error(describeError(t, cause).title);
    }
  };

  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="opinion-add">
        {t('ledger.addOpinion')}
      </Button>
      <Modal
        open={open}
        title={t('ledger.addOpinion')}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        confirmLoading={create.isPending}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="org_id" label={t('ledger.org')} rules={[{ required: true }]}>
            {orgPicker}
          </Form.Item>
          <Form.Item name="category" label={t('ledger.category')} rules={[{ required: true }]}>
            <Select options={DEFAULT_CATEGORIES.map((c) => ({ value: c, label: c }))} />
          </Form.Item>
          <Form.Item name="text" label={t('ledger.opinionText')} rules={[{ required: true, min: 2, whitespace: true }]}>
            <Input.TextArea rows={4} maxLength={4000} />
          </Form.Item>
          <Form.Item name="meeting_id" label={t('ledger.meetingId')}>
            <InputNumber min={1} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="item_id" label={t('ledger.joinItem')}>
            <InputNumber min={1} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** A cycle's opinions with counts by category and organisation; clerks enter and harvest them. */
export function OpinionsView({ cycleId, canManage, orgPicker }: OpinionsViewProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [query, setQuery] = useState<OpinionQuery>({ limit: 50, offset: 0 });
  const opinions = useQuery(opinionsQuery(cycleId, query));
  const unfiled = useQuery({ ...unfiledQuery(cycleId), enabled: canManage });
  const harvest = useHarvest(cycleId);
  if (opinions.isError) return <ErrorResult error={opinions.error} onRetry={() => void opinions.refetch()} />;
  const data = opinions.data;

  const runHarvest = async () => {
    try {
      const result = await harvest.mutateAsync();
      void message.success(t('ledger.harvested', { ...result }));
    } catch (cause) {
      void message.error(describeError(t, cause).title);
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="opinions-view">
      {canManage && (
        <Space wrap>
          <OpinionForm cycleId={cycleId} orgPicker={orgPicker} />
          <Button icon={<SyncOutlined />} loading={harvest.isPending} onClick={() => void runHarvest()} data-testid="opinion-harvest">
            {t('ledger.harvest')}
          </Button>
          {unfiled.data && (
            <Alert
              type={unfiled.data.length ? 'error' : 'success'}
              showIcon
              message={unfiled.data.length ? t('ledger.unfiled', { count: unfiled.data.length }) : t('ledger.allFiled')}
              data-testid="opinions-unfiled"
            />
          )}
        </Space>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={10}>
          <Card size="small" title={t('ledger.byCategory')} data-testid="opinions-by-category">
            {data?.by_category.map((c) => (
              <Tag
                key={c.category ?? ''}
                color={query.category === c.category ? 'red' : undefined}
                style={{ cursor: 'pointer', marginBottom: 8 }}
                onClick={() => setQuery((q) => ({ ...q, category: q.category === c.category ? undefined : (c.category ?? undefined), offset: 0 }))}
              >
                {c.category ?? t('ledger.uncategorised')} {c.count}
              </Tag>
            ))}
          </Card>
        </Col>
        <Col xs={24} md={14}>
          <Card size="small" title={t('ledger.byOrg')} data-testid="opinions-by-org">
            {data?.by_org.map((c) => (
              <Tag
                key={c.org.id}
                color={query.org_id === c.org.id ? 'red' : undefined}
                style={{ cursor: 'pointer', marginBottom: 8 }}
                onClick={() => setQuery((q) => ({ ...q, org_id: q.org_id === c.org.id ? undefined : c.org.id, offset: 0 }))}
              >
                {c.org.name} {c.count}
              </Tag>
            ))}
          </Card>
        </Col>
      </Row>
      <Table<OpinionRead>
        rowKey="id"
        size="small"
        loading={opinions.isFetching}
        dataSource={data?.items}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '#', dataIndex: 'id', width: 70 },
          { title: t('ledger.org'), render: (_, row) => row.org.name },
          { title: t('ledger.category'), render: (_, row) => row.category ?? t('ledger.uncategorised') },
          {
            title: t('ledger.opinionText'),
            dataIndex: 'text',
            render: (value: string) => (
              <Typography.Text ellipsis={{ tooltip: value }} style={{ maxWidth: 360 }}>
                {value}
              </Typography.Text>
            ),
          },
          {
            title: t('ledger.sourceLabel'),
            render: (_, row) => (
              <span>
                {t(`ledger.source.${row.source}`)} {row.anonymous && <Tag>{t('ledger.anonymous')}</Tag>}
              </span>
            ),
          },
          {
            title: t('ledger.item'),
            render: (_, row) => (row.item_id ? <Link to={`/ledger/items/${row.item_id}`}>#{row.item_id}</Link> : <Tag color="error">—</Tag>),
          },
        ]}
        pagination={{
          current: Math.floor((query.offset ?? 0) / (query.limit ?? 50)) + 1,
          pageSize: query.limit ?? 50,
          total: data?.total ?? 0,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (page, pageSize) => setQuery((q) => ({ ...q, offset: (page - 1) * pageSize, limit: pageSize })),
        }}
        data-testid="opinions-table"
      />
    </Space>
  );
}
