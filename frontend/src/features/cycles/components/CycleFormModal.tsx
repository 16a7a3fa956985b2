import { Alert, App, Col, DatePicker, Form, Input, Modal, Radio, Row, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { cloneElement, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError, isApiError } from '../../../api/problem';
import type { CycleCreate, CycleRead, CycleUpdate } from '../../../api/types';
import { compareDecimals, isDecimal } from '../../../lib/decimal';
import { describeError } from '../../../lib/errors';
import { applyProblemToForm } from '../../../lib/forms';
import { useCreateCycle, useUpdateCycle } from '../api';

const SHARES = ['good', 'fairly_good', 'average'] as const;
const DEFAULT_CATEGORIES = ['班子建设', '党员队伍', '服务群众', '发展经济', '作风建设'];
type Shares = Record<(typeof SHARES)[number], string>;

interface Values {
  name: string;
  host_org_id: number | null;
  period: [Dayjs, Dayjs] | null;
  report_due_date: Dayjs | null;
  rubric_id: number | null;
  method: 'thresholds' | 'quota';
  shares: Shares;
  poor_vote_share: string;
  consequence_count: string;
  min_ballots_shown: string;
  opinion_categories: string[];
}

function initial(cycle: CycleRead | null): Values {
  const grading = cycle?.grading;
  return {
    name: cycle?.name ?? '',
    host_org_id: cycle?.host_org.id ?? null,
    period: cycle ? [dayjs(cycle.period_start), dayjs(cycle.period_end)] : null,
    report_due_date: cycle?.report_due_date ? dayjs(cycle.report_due_date) : null,
    rubric_id: cycle?.rubric?.id ?? null,
    method: grading?.method ?? 'thresholds',
    shares: grading?.thresholds ?? grading?.quotas ?? { good: '0.9', fairly_good: '0.8', average: '0.6' },
    poor_vote_share: grading?.poor_vote_share ?? '0.3333',
    consequence_count: String(grading?.consequence_count ?? 1),
    min_ballots_shown: String(grading?.min_ballots_shown ?? 3),
    opinion_categories: cycle?.opinion_categories ?? DEFAULT_CATEGORIES,
  };
}

function body(values: Values) {
  const [start, end] = values.period ?? [];
  const shares = values.shares;
  return {
    name: values.name.trim(),
    period_start: start?.format('YYYY-MM-DD') ?? '',
    period_end: end?.format('YYYY-MM-DD') ?? '',
    report_due_date: values.report_due_date ? values.report_due_date.format('YYYY-MM-DD') : null,
    rubric_id: values.rubric_id,
    grading: {
      method: values.method,
      ...(values.method === 'thresholds' ? { thresholds: shares } : { quotas: shares }),
      poor_vote_share: values.poor_vote_share,
      consequence_count: Number(values.consequence_count),
      min_ballots_shown: Number(values.min_ballots_shown),
    },
    opinion_categories: values.opinion_categories,
  };
}

// The grading's settings sit at the form's top level; the API locates their problems under `grading`.
const GRADING_FIELDS = new Set(['poor_vote_share', 'consequence_count', 'min_ballots_shown']);

/** The error with its problems on `grading.<setting>` moved onto the form's field of that name. */
export function gradingOnItsFields(error: unknown): unknown {
  if (!isApiError(error) || !error.problem.errors) return error;
  const errors = error.problem.errors.map((e) => {
    const at = e.loc.indexOf('grading');
    const field = e.loc[at + 1];
    return at >= 0 && at + 2 === e.loc.length && GRADING_FIELDS.has(String(field)) ? { ...e, loc: ['body', field!] } : e;
  });
  return new ApiError(error.kind, { ...error.problem, errors }, error.retryAfter);
}

interface CycleFormModalProps {
  /** The cycle to change, or null to create one. */
  cycle: CycleRead | null;
  /** Organisation and rubric pickers (form controls), supplied by the page. */
  hostSelect: ReactElement;
  rubricSelect: ReactElement<{ disabled?: boolean }>;
  onClose: () => void;
  onSaved?: (cycle: CycleRead) => void;
}

/** Create a cycle or change its settings; after preparation only the name and due date change. */
export function CycleFormModal({ cycle, hostSelect, rubricSelect, onClose, onSaved }: CycleFormModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateCycle();
  const update = useUpdateCycle();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const settled = cycle !== null && cycle.stage !== 'preparation';

  const fail = (error: unknown) => {
    if (applyProblemToForm(form, gradingOnItsFields(error))) return;
    const { title, detail } = describeError(t, error);
    setGeneralError(detail ? `${title}: ${detail}` : title);
  };

  const submit = (values: Values) => {
    setGeneralError(null);
    const saved = (next: CycleRead) => {
      void message.success(cycle ? t('common.saved') : t('common.created'));
      onSaved?.(next);
      onClose();
    };
    if (cycle) {
      const full = body(values);
      const patch: CycleUpdate = settled ? { name: full.name, report_due_date: full.report_due_date } : full;
      update.mutate({ id: cycle.id, body: patch }, { onSuccess: (next) => saved(next as CycleRead), onError: fail });
    } else {
      const payload: CycleCreate = { ...body(values), host_org_id: values.host_org_id ?? 0 };
      create.mutate(payload, { onSuccess: saved, onError: fail });
    }
  };

  const share = (required: boolean) => ({
    validator: async (_: unknown, value: string) => {
      if (!required && (value === '' || value === undefined)) return;
      if (!isDecimal(value) || compareDecimals(value, '0') < 0 || compareDecimals(value, '1') > 0) {
        throw new Error(t('cycles.shareRange'));
      }
    },
  });

  const minBallots = async (_: unknown, value: string) => {
    if (!/^\d{1,4}$/.test(value ?? '') || Number(value) < 1 || Number(value) > 1000) throw new Error(t('cycles.minBallotsRequired'));
  };

  return (
    <Modal
      open
      width={720}
      title={cycle ? t('cycles.edit') : t('cycles.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      forceRender
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial(cycle)} onFinish={submit} name="cycle-form">
        {generalError && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={generalError} role="alert" />}
        {settled && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('cycles.settledNotice')} />}
        <Form.Item name="name" label={t('cycles.name')} rules={[{ required: true, whitespace: true, message: t('cycles.nameRequired') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            {cycle ? (
              <Form.Item label={t('cycles.host')}>
                <Input disabled value={cycle.host_org.name} aria-label={t('cycles.host')} />
              </Form.Item>
            ) : (
              <Form.Item name="host_org_id" label={t('cycles.host')} rules={[{ required: true, message: t('cycles.hostRequired') }]}>
                {hostSelect}
              </Form.Item>
            )}
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="rubric_id" label={t('cycles.rubric')}>
              {cloneElement(rubricSelect, { disabled: settled })}
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="period" label={t('cycles.period')} rules={[{ required: true, message: t('cycles.periodRequired') }]}>
              <DatePicker.RangePicker disabled={settled} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="report_due_date" label={t('cycles.dueDate')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="method" label={t('cycles.gradingMethod')}>
          <Radio.Group disabled={settled}>
            <Radio value="thresholds">{t('cycles.methods.thresholds')}</Radio>
            <Radio value="quota">{t('cycles.methods.quota')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Space wrap>
          {SHARES.map((tier) => (
            <Form.Item key={tier} name={['shares', tier]} label={t(`tiers.${tier}`)} rules={[share(true)]}>
              <Input inputMode="decimal" style={{ width: 90 }} disabled={settled} />
            </Form.Item>
          ))}
          <Form.Item name="poor_vote_share" label={t('cycles.poorVoteShare')} rules={[share(true)]}>
            <Input inputMode="decimal" style={{ width: 110 }} disabled={settled} />
          </Form.Item>
          <Form.Item
            name="consequence_count"
            label={t('cycles.consequenceCount')}
            rules={[{ pattern: /^\d{1,3}$/, message: t('cycles.countRequired') }]}
          >
            <Input inputMode="numeric" style={{ width: 110 }} disabled={settled} />
          </Form.Item>
          <Form.Item
            name="min_ballots_shown"
            label={t('cycles.minBallotsShown')}
            tooltip={t('cycles.minBallotsShownHint')}
            rules={[{ validator: minBallots }]}
          >
            <Input inputMode="numeric" style={{ width: 110 }} disabled={settled} />
          </Form.Item>
        </Space>
        <Form.Item name="opinion_categories" label={t('cycles.opinionCategories')} rules={[{ required: true, message: t('cycles.categoriesRequired') }]}>
          <Select mode="tags" disabled={settled} tokenSeparators={[',', '，']} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
