import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Divider, Form, Input, InputNumber, Row, Skeleton, Space, Statistic, Switch, Tag, theme, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { formFieldErrors, isApiError } from '../../../api/problem';
import type { AssessmentIn, AssessmentIndicator, AssessmentRead, AssessmentVeto } from '../../../api/types';
import { formatDateTime } from '../../../lib/datetime';
import { compareDecimals } from '../../../lib/decimal';
import { describeError } from '../../../lib/errors';
import { applyProblemToForm } from '../../../lib/forms';
import { vetoFactName } from '../../../lib/vetoFacts';
import { assessmentQuery, useSaveAssessment } from '../api';

const REASON_MAX = 500;
const POINTS = /^\d+(\.\d{1,2})?$/;
const FORMULAS = [
  'manual',
  'petition_resolution_rate',
  'petition_timely_acceptance_rate',
  'petition_on_time_completion_rate',
  'petition_satisfaction_rate',
  'petition_rating_rate',
  'ledger_completion',
  'target_completion',
] as const;

// Field names follow the request body, so a problem's `loc` (["body", "indicators", key] or
// ["body", "vetoes", key]) lands on the field it names.
export interface AssessmentValues {
  indicators: Record<string, string | null>;
  vetoed: Record<string, boolean>;
  vetoes: Record<string, string>;
}

/** Indicators whose points the organisation department enters (not computed by a formula). */
const entered = (assessment: AssessmentRead) => assessment.indicators.filter((i) => !i.computed);

/** Vetoes the organisation department sets by hand; the others are decided by a veto fact from the cycle's data. */
const manual = (assessment: AssessmentRead) => assessment.vetoes.filter((v) => !v.fact);

export function assessmentValues(assessment: AssessmentRead): AssessmentValues {
  return {
    indicators: Object.fromEntries(entered(assessment).map((i) => [i.key, i.points])),
    vetoed: Object.fromEntries(manual(assessment).map((v) => [v.key, v.vetoed])),
    vetoes: Object.fromEntries(manual(assessment).map((v) => [v.key, v.reason ?? ''])),
  };
}

const isBlank = (points: string | null | undefined) => points === null || points === undefined || points.trim() === '';

/**
 * The PUT body: only the indicators that have points, only the manual vetoes switched on (a veto
 * present means yes). A veto decided by a fact is never sent: the server refuses it (400).
 */
export function toAssessmentIn(values: AssessmentValues, assessment: AssessmentRead): AssessmentIn {
  const indicators: Record<string, string> = {};
  for (const { key } of entered(assessment)) {
    const points = values.indicators?.[key];
    if (!isBlank(points)) indicators[key] = String(points).trim();
  }
  const vetoes: Record<string, string> = {};
  for (const { key } of manual(assessment)) {
    if (values.vetoed?.[key]) vetoes[key] = (values.vetoes?.[key] ?? '').trim();
  }
  return { indicators, vetoes };
}

function FormulaName({ formula }: { formula: string }) {
  const { t } = useTranslation();
  return (
    <span>
      {t('reports.assessment.formula', {
        formula: (FORMULAS as readonly string[]).includes(formula) ? t(`reports.assessment.formulas.${formula as (typeof FORMULAS)[number]}`) : formula,
      })}
    </span>
  );
}

/** An indicator the results compute from the county's data (petitions, the ledger): shown, not entered. */
function ComputedIndicator({ indicator }: { indicator: AssessmentIndicator }) {
  const { t } = useTranslation();
  return (
    <div data-testid={`indicator-${indicator.key}`}>
      <Form.Item
        label={indicator.title}
        extra={
          <Space size={[12, 4]} wrap>
            <span>{t('reports.assessment.maxPoints', { max: indicator.max_points })}</span>
            {indicator.formula && <FormulaName formula={indicator.formula} />}
            <Tag color="blue">{t('reports.assessment.computed')}</Tag>
          </Space>
        }
      >
        <Typography.Text strong data-testid="computed-points">
          {indicator.points ?? t('reports.assessment.noData')}
        </Typography.Text>
      </Form.Item>
    </div>
  );
}

function IndicatorField({ indicator, points }: { indicator: AssessmentIndicator; points: string | null | undefined }) {
  const { t } = useTranslation();
  const max = indicator.max_points;
  const formula = indicator.formula;
  const inRange = {
    validator: async (_: unknown, value: string | null | undefined) => {
      if (isBlank(value)) return;
      const text = String(value).trim();
      if (!POINTS.test(text) || compareDecimals(text, max) > 0) throw new Error(t('reports.assessment.pointsRange', { max }));
    },
  };
  return (
    <div data-testid={`indicator-${indicator.key}`}>
      <Form.Item
        name={['indicators', indicator.key]}
        label={indicator.title}
        rules={[inRange]}
        extra={
          <Space size={[12, 4]} wrap>
            <span>{t('reports.assessment.maxPoints', { max })}</span>
            {formula && <FormulaName formula={formula} />}
            {isBlank(points) ? (
              <Tag color="gold" data-testid="indicator-missing">
                {t('reports.assessment.missing')}
              </Tag>
            ) : (
              indicator.set_at && <span>{t('reports.assessment.setAt', { time: formatDateTime(indicator.set_at) })}</span>
            )}
          </Space>
        }
      >
        <InputNumber<string>
          stringMode
          min="0"
          max={max}
          precision={2}
          step="1"
          placeholder={t('reports.assessment.range', { max })}
          style={{ width: '100%', maxWidth: 240 }}
        />
      </Form.Item>
    </div>
  );
}

function VetoField({ veto, on }: { veto: AssessmentVeto; on: boolean }) {
  const { t } = useTranslation();
  return (
    <div data-testid={`veto-${veto.key}`}>
      <Form.Item
        name={['vetoed', veto.key]}
        label={veto.title}
        valuePropName="checked"
        extra={on && veto.vetoed && veto.set_at ? t('reports.assessment.setAt', { time: formatDateTime(veto.set_at) }) : undefined}
      >
        <Switch checkedChildren={t('reports.assessment.yes')} unCheckedChildren={t('reports.assessment.no')} />
      </Form.Item>
      {on && (
        <Form.Item
          name={['vetoes', veto.key]}
          label={t('reports.assessment.reason')}
          rules={[
            { required: true, whitespace: true, message: t('reports.assessment.reasonRequired') },
            { max: REASON_MAX, message: t('reports.assessment.reasonTooLong') },
          ]}
        >
          <Input.TextArea rows={3} maxLength={REASON_MAX} showCount style={{ maxWidth: 720 }} />
        </Form.Item>
      )}
    </div>
  );
}

/** A veto decided by a veto fact from the cycle's data: shown with its decision and reason, never entered. */
function FactVeto({ veto }: { veto: AssessmentVeto & { fact: string } }) {
  const { t } = useTranslation();
  return (
    <div data-testid={`veto-${veto.key}`}>
      <Form.Item
        label={veto.title}
        extra={
          <Space size={[12, 4]} wrap>
            <Tag color="blue" data-testid="veto-by-data">
              {t('vetoFacts.byData')}
            </Tag>
            <span>{t('vetoFacts.basisName', { name: vetoFactName(t, veto.fact) })}</span>
          </Space>
        }
      >
        <Space direction="vertical" size={4}>
          <Tag color={veto.vetoed ? 'red' : 'default'} data-testid="veto-decision">
            {veto.vetoed ? t('vetoFacts.vetoed') : t('vetoFacts.notVetoed')}
          </Tag>
          <Typography.Text type={veto.vetoed ? undefined : 'secondary'} data-testid="veto-reason">
            {veto.vetoed && veto.reason ? t('vetoFacts.reason', { reason: veto.reason }) : t('vetoFacts.noReason')}
          </Typography.Text>
        </Space>
      </Form.Item>
    </div>
  );
}

function Failure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { title, detail, requestId } = describeError(t, error);
  const locked = isApiError(error) && error.status === 409;
  // Field errors that found no field (a veto decided by data): said here, in the server's words.
  const unplaced = isApiError(error) ? formFieldErrors(error.problem).flatMap((f) => f.errors) : [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="assessment-error"
      message={locked ? t('reports.assessment.locked') : title}
      description={
        (detail || requestId || unplaced.length > 0) && (
          <>
            {unplaced.length > 0 ? unplaced.map((msg) => <div key={msg}>{msg}</div>) : detail && <div>{detail}</div>}
            {requestId && <Typography.Text type="secondary">{t('errors.requestId', { id: requestId })}</Typography.Text>}
          </>
        )
      }
    />
  );
}

function AssessmentForm({ assessment }: { assessment: AssessmentRead }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const [form] = Form.useForm<AssessmentValues>();
  const save = useSaveAssessment();
  const [failure, setFailure] = useState<unknown>(null);
  const points = Form.useWatch('indicators', form);
  const vetoed = Form.useWatch('vetoed', form);
  const initial = assessmentValues(assessment);

  const submit = () => {
    setFailure(null);
    const values = form.getFieldsValue(true) as AssessmentValues;
    save.mutate(
      { id: assessment.report_id, body: toAssessmentIn(values, assessment) },
      {
        onSuccess: () => void message.success(t('reports.assessment.saved')),
        onError: (error) => {
          // A refusal naming a veto decided by data has no field to show on: say it above the buttons.
          const namesFact =
            isApiError(error) &&
            formFieldErrors(error.problem).some((f) => f.name[0] === 'vetoes' && assessment.vetoes.some((v) => v.fact && v.key === f.name[1]));
          if (!namesFact && applyProblemToForm(form, error)) {
            void message.error(t('errors.validation'));
            return;
          }
          setFailure(error);
        },
      },
    );
  };

  return (
    <Form<AssessmentValues> form={form} layout="vertical" size="large" name={`assessment-${assessment.report_id}`} initialValues={initial} onFinish={submit}>
      <Row gutter={[16, 16]}>
        <Col xs={12} sm={8}>
          <Statistic title={t('reports.assessment.indicatorTotal')} value={assessment.indicator_total} data-testid="indicator-total" />
        </Col>
        <Col xs={12} sm={8}>
          <Statistic
            title={t('reports.assessment.missingCount')}
            value={assessment.missing_count}
            suffix={t('reports.assessment.ofCount', { count: assessment.indicators.length })}
            valueStyle={assessment.missing_count > 0 ? { color: token.colorWarningText } : undefined}
            data-testid="missing-count"
          />
        </Col>
      </Row>

      <Divider orientation="left" orientationMargin={0}>
        {t('reports.assessment.indicators')}
      </Divider>
      <Typography.Paragraph type="secondary">{t('reports.assessment.help')}</Typography.Paragraph>
      {assessment.indicators.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('reports.assessment.noIndicators')}</Typography.Paragraph>
      ) : (
        assessment.indicators.map((indicator) =>
          indicator.computed ? (
            <ComputedIndicator key={indicator.key} indicator={indicator} />
          ) : (
            <IndicatorField
              key={indicator.key}
              indicator={indicator}
              points={points ? points[indicator.key] : initial.indicators[indicator.key]}
            />
          ),
        )
      )}

      <Divider orientation="left" orientationMargin={0}>
        {t('reports.assessment.vetoes')}
      </Divider>
      {assessment.vetoes.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('reports.assessment.noVetoes')}</Typography.Paragraph>
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('reports.assessment.vetoHelp')}</Typography.Paragraph>
          {assessment.vetoes.some((veto) => veto.fact) && (
            <Typography.Paragraph type="secondary">{t('vetoFacts.assessmentHelp')}</Typography.Paragraph>
          )}
          {assessment.vetoes.map((veto) =>
            veto.fact ? (
              <FactVeto key={veto.key} veto={{ ...veto, fact: veto.fact }} />
            ) : (
              <VetoField key={veto.key} veto={veto} on={Boolean(vetoed ? vetoed[veto.key] : initial.vetoed[veto.key])} />
            ),
          )}
        </>
      )}

      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {failure !== null && <Failure error={failure} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="save-assessment">
            {t('common.save')}
          </Button>
          <Button
            htmlType="button"
            disabled={save.isPending}
            onClick={() => {
              setFailure(null);
              form.resetFields();
            }}
          >
            {t('common.reset')}
          </Button>
        </Space>
      </Space>
    </Form>
  );
}

/** 考核指标与一票否决: the host enters a report's indicator points and records its veto facts. */
export function AssessmentCard({ reportId }: { reportId: number }) {
  const { t } = useTranslation();
  const assessment = useQuery(assessmentQuery(reportId));

  // The page shows this card only to the cycle's managers; should the server still refuse, show nothing.
  if (assessment.isError && isApiError(assessment.error) && assessment.error.status === 403) return null;

  let body;
  if (assessment.isPending) body = <Skeleton active paragraph={{ rows: 6 }} />;
  else if (assessment.isError) {
    const { title, detail } = describeError(t, assessment.error);
    body = (
      <Alert
        type="error"
        showIcon
        message={t('reports.assessment.loadFailed')}
        description={detail ? `${title}: ${detail}` : title}
        action={
          <Button size="small" onClick={() => void assessment.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  } else {
    // Remount the form when the stored assessment changes (after a save), so it shows what was stored.
    body = <AssessmentForm key={JSON.stringify(assessment.data)} assessment={assessment.data} />;
  }

  return (
    <Card title={t('reports.assessment.title')} data-testid="assessment-card">
      {body}
    </Card>
  );
}
