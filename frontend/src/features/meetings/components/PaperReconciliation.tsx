import { CheckCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Input, Popconfirm, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorResult } from '../../../components/ErrorResult';
import { FullPageSpinner } from '../../../components/FullPageSpinner';
import { describeError } from '../../../lib/errors';
import {
  isTier,
  reconciliationQuery,
  TIERS,
  useCommitSheets,
  useEnterSheets,
  type PaperForm,
  type PaperPair,
  type PaperSheet,
  type Reconciliation,
  type Tier,
} from '../paper';

type SheetRead = PaperPair['first'];

/** Every field of a stored copy, keyed as the reconciliation names differences ("items.duty", "group_key", …). */
function fieldsOf(sheet: SheetRead): Record<string, string | null> {
  const out: Record<string, string | null> = { group_key: sheet.group_key };
  for (const [key, value] of Object.entries(sheet.items)) out[`items.${key}`] = value;
  out.comment = sheet.comment;
  out.comment_category = sheet.comment_category;
  return out;
}

/** The fields on which the two copies of a sheet differ, in the rubric's order. */
export function differingFields(pair: PaperPair, form: PaperForm): string[] {
  const a = fieldsOf(pair.first);
  const b = fieldsOf(pair.second);
  const order = ['group_key', ...form.items.map((item) => `items.${item.key}`), 'comment', 'comment_category'];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const sorted = [...order.filter((k) => keys.has(k)), ...[...keys].filter((k) => !order.includes(k)).sort()];
  return sorted.filter((key) => (a[key] ?? null) !== (b[key] ?? null));
}

interface PairProps {
  meetingId: number;
  form: PaperForm;
  pair: PaperPair;
}

/** One disputed sheet: each differing field, entry 1 beside entry 2, the second editable by its clerk. */
function DisputedSheet({ meetingId, form, pair }: PairProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const enter = useEnterSheets(meetingId);
  const fields = differingFields(pair, form);
  const second = fieldsOf(pair.second);
  const [edits, setEdits] = useState<Record<string, string | null>>(() => Object.fromEntries(fields.map((f) => [f, second[f] ?? null])));
  const [failure, setFailure] = useState<unknown>(null);
  const canCorrect = !pair.first.entered_by_me;
  const org = form.reports.find((r) => r.report_id === pair.report_id)?.org_name ?? String(pair.report_id);

  const label = (field: string) => {
    if (field === 'group_key') return t('paper.reconcile.groupField');
    if (field === 'comment') return t('paper.reconcile.commentField');
    if (field === 'comment_category') return t('paper.reconcile.categoryField');
    const key = field.replace(/^items\./, '');
    return form.items.find((item) => item.key === key)?.title ?? key;
  };
  const shown = (field: string, value: string | null | undefined) => {
    if (value === null || value === undefined || value === '') return t('paper.reconcile.empty');
    if (field === 'group_key') return form.groups.find((g) => g.key === value)?.name ?? value;
    if (field.startsWith('items.') && isTier(value)) return t(`paper.tiers.${value}`);
    return value;
  };
  const editor = (field: string) => {
    const value = edits[field] ?? null;
    const set = (next: string | null) => setEdits((current) => ({ ...current, [field]: next }));
    const testId = `paper-fix-${pair.sheet_no}-${field}`;
    if (field === 'group_key') {
      return <Select value={value ?? undefined} onChange={set} options={form.groups.map((g) => ({ value: g.key, label: g.name }))} style={{ minWidth: 140 }} data-testid={testId} />;
    }
    if (field === 'comment_category') {
      return <Select value={value ?? undefined} onChange={set} allowClear options={form.opinion_categories.map((c) => ({ value: c, label: c }))} style={{ minWidth: 140 }} data-testid={testId} />;
    }
    const item = form.items.find((i) => `items.${i.key}` === field);
    if (item?.kind === 'tier') {
      return (
        <Select<Tier>
          value={value && isTier(value) ? value : undefined}
          onChange={set}
          options={TIERS.map((tier) => ({ value: tier, label: t(`paper.tiers.${tier}`) }))}
          style={{ minWidth: 120 }}
          data-testid={testId}
        />
      );
    }
    return <Input value={value ?? ''} onChange={(event) => set(event.target.value)} style={{ maxWidth: 200 }} inputMode={item ? 'decimal' : undefined} data-testid={testId} />;
  };

  const correct = async () => {
    const merged = { ...second, ...edits };
    const items: PaperSheet['items'] = {};
    for (const item of form.items) {
      const value = merged[`items.${item.key}`] ?? '';
      items[item.key] = item.kind === 'tier' && isTier(value) ? value : Number(value);
    }
    const sheet: PaperSheet = {
      sheet_no: pair.sheet_no,
      report_id: pair.report_id,
      group_key: merged.group_key ?? '',
      items,
      comment: merged.comment || null,
      comment_category: merged.comment ? merged.comment_category || null : null,
    };
    setFailure(null);
    try {
      await enter.mutateAsync({ entry: 2, sheets: [sheet] });
    } catch (cause) {
      setFailure(cause);
      return;
    }
    void message.success(t('paper.reconcile.corrected', { sheetNo: pair.sheet_no }));
  };

  const problem = failure ? describeError(t, failure) : null;
  return (
    <Card
      size="small"
      title={t('paper.reconcile.sheet', { sheetNo: pair.sheet_no, org })}
      extra={
        canCorrect ? (
          <Button type="primary" size="small" onClick={() => void correct()} loading={enter.isPending} data-testid={`paper-correct-${pair.sheet_no}`}>
            {t('paper.reconcile.correct')}
          </Button>
        ) : null
      }
      data-testid={`paper-disputed-${pair.sheet_no}`}
    >
      <Table
        size="small"
        rowKey="field"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={fields.map((field) => ({ field }))}
        rowClassName={() => 'paper-difference'}
        columns={[
          { title: t('paper.reconcile.field'), dataIndex: 'field', render: (field: string) => label(field) },
          {
            title: t('paper.reconcile.first'),
            key: 'first',
            render: (_, { field }) => (
              <Tag color="red" data-testid={`paper-first-${pair.sheet_no}-${field}`}>
                {shown(field, fieldsOf(pair.first)[field])}
              </Tag>
            ),
          },
          {
            title: t('paper.reconcile.second'),
            key: 'second',
            render: (_, { field }) =>
              canCorrect ? (
                editor(field)
              ) : (
                <Tag color="red" data-testid={`paper-second-${pair.sheet_no}-${field}`}>
                  {shown(field, second[field])}
                </Tag>
              ),
          },
        ]}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {canCorrect ? t('paper.reconcile.onlySecondClerk') : t('paper.reconcile.youEnteredFirst')}
      </Typography.Text>
      {problem && <Alert type="error" showIcon message={problem.title} description={problem.detail} style={{ marginTop: 8 }} />}
    </Card>
  );
}

function Summary({ rec }: { rec: Reconciliation }) {
  const { t } = useTranslation();
  const figures: ['matched' | 'counted' | 'disputed' | 'onlyFirst' | 'onlySecond', number, string][] = [
    ['matched', rec.matched, 'paper-matched'],
    ['counted', rec.counted, 'paper-counted'],
    ['disputed', rec.disputed.length, 'paper-disputed-count'],
    ['onlyFirst', rec.only_in_first.length, 'paper-only-first'],
    ['onlySecond', rec.only_in_second.length, 'paper-only-second'],
  ];
  return (
    <Space wrap size="large">
      {figures.map(([key, value, testId]) => (
        <Statistic key={key} title={t(`paper.reconcile.${key}`)} value={value} suffix={t('paper.reconcile.unit')} data-testid={testId} />
      ))}
    </Space>
  );
}

/** Compare the two entries, let the second clerk correct differences in place, and count the agreeing sheets. */
export function PaperReconciliation({ meetingId, form }: { meetingId: number; form: PaperForm }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rec = useQuery(reconciliationQuery(meetingId));
  const commit = useCommitSheets(meetingId);

  if (rec.isPending) return <FullPageSpinner />;
  if (rec.isError) return <ErrorResult error={rec.error} onRetry={() => void rec.refetch()} />;
  const data = rec.data;

  const run = () =>
    commit.mutate(undefined, {
      onSuccess: (result) => void message.success(t('paper.commit.done', { count: result.counted })),
      onError: (error) => {
        const text = describeError(t, error);
        void message.error(text.detail ? `${text.title}：${text.detail}` : text.title);
      },
    });

  const missing = [
    ...data.only_in_first.map((no) => `${no}（${t('paper.reconcile.onlyFirst')}）`),
    ...data.only_in_second.map((no) => `${no}（${t('paper.reconcile.onlySecond')}）`),
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="paper-reconciliation">
      <Card size="small">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Summary rec={data} />
          <Space wrap>
            <Popconfirm
              title={t('paper.commit.confirmTitle')}
              description={
                <div data-testid="paper-commit-confirm">
                  <div>{t('paper.commit.confirm', { count: data.matched })}</div>
                  {data.disputed.length > 0 && <div>{t('paper.commit.confirmDisputed', { count: data.disputed.length })}</div>}
                </div>
              }
              okText={t('paper.commit.ok')}
              okButtonProps={{ ...{ 'data-testid': 'paper-commit-ok' } }}
              onConfirm={run}
              disabled={data.matched === 0}
            >
              <Button type="primary" icon={<CheckCircleOutlined />} disabled={data.matched === 0} loading={commit.isPending} data-testid="paper-commit">
                {t('paper.commit.button')}
              </Button>
            </Popconfirm>
            <Button icon={<ReloadOutlined />} onClick={() => void rec.refetch()} loading={rec.isFetching}>
              {t('paper.reconcile.refresh')}
            </Button>
            {data.matched === 0 && <Typography.Text type="secondary">{t('paper.commit.nothing')}</Typography.Text>}
          </Space>
        </Space>
      </Card>
      {missing.length > 0 && <Alert type="warning" showIcon message={t('paper.reconcile.missingSheets')} description={missing.join('、')} data-testid="paper-missing" />}
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('paper.reconcile.differences')}
      </Typography.Title>
      {data.disputed.length === 0 ? (
        <Empty description={t('paper.reconcile.noDifferences')} />
      ) : (
        data.disputed.map((pair) => (
          <DisputedSheet
            key={`${pair.report_id}-${pair.sheet_no}-${JSON.stringify(pair.second)}`}
            meetingId={meetingId}
            form={form}
            pair={pair}
          />
        ))
      )}
    </Space>
  );
}
