import { Alert, App, Button, Card, Col, Form, Input, Radio, Row, Select, Space, Table, Typography } from 'antd';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { describeError } from '../../../lib/errors';
import { TIERS, useEnterSheets, type Entry, type PaperForm, type PaperItem, type PaperSheet, type Tier } from '../paper';

const FIELD = (name: string) => `paper-field-${name}`;
const SCORE = /^\d+(\.\d{1,2})?$/;

/** The next sheet number after one: its trailing digits counted up, their zero padding kept (P009 → P010). */
export function nextSheetNo(sheetNo: string): string {
  const match = /^(.*?)(\d+)$/.exec(sheetNo);
  if (!match) return sheetNo;
  const [, prefix, digits] = match;
  return prefix + String(Number(digits) + 1).padStart(digits.length, '0');
}

interface Saved {
  sheet: PaperSheet;
  entry: Entry;
}

/** A tier chosen with keys 1–4 (or the mouse); Enter moves on once chosen. */
function TierPicker({
  item,
  value,
  onChange,
  onNext,
}: {
  item: PaperItem;
  value: Tier | undefined;
  onChange: (tier: Tier) => void;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = ['1', '2', '3', '4'].indexOf(event.key);
    if (index >= 0) {
      event.preventDefault();
      onChange(TIERS[index]);
      onNext();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (value) onNext();
    }
  };
  return (
    <div id={FIELD(item.key)} role="radiogroup" aria-label={item.title} tabIndex={0} onKeyDown={onKeyDown} className="paper-tier" data-testid={`paper-item-${item.key}`}>
      <Radio.Group value={value} optionType="button" buttonStyle="solid" onChange={(event) => onChange(event.target.value as Tier)}>
        {TIERS.map((tier, i) => (
          <Radio.Button key={tier} value={tier} tabIndex={-1} title={t('paper.form.tierKey', { key: i + 1 })}>
            <Typography.Text type="secondary" style={{ fontSize: 12, marginRight: 4 }}>
              {i + 1}
            </Typography.Text>
            {t(`paper.tiers.${tier}`)}
          </Radio.Button>
        ))}
      </Radio.Group>
    </div>
  );
}

/** One clerk enters paper sheets one by one, keyboard first: report and group chosen up front, then number, items, opinion. */
export function PaperSheetForm({ meetingId, form, entry }: { meetingId: number; form: PaperForm; entry: Entry }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const enter = useEnterSheets(meetingId);
  const [reportId, setReportId] = useState<number | undefined>(form.reports.length === 1 ? form.reports[0].report_id : undefined);
  const [groupKey, setGroupKey] = useState<string | undefined>(form.groups.length === 1 ? form.groups[0].key : undefined);
  const [sheetNo, setSheetNo] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const [category, setCategory] = useState<string | undefined>(undefined);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState<Saved[]>([]);

  const order = ['sheetNo', ...form.items.map((item) => item.key), 'comment'];
  const ready = reportId !== undefined && groupKey !== undefined;
  const entryName = t(entry === 1 ? 'paper.entry.first' : 'paper.entry.second');

  const focus = (name: string) => {
    const element = document.getElementById(FIELD(name));
    element?.focus();
    if (element instanceof HTMLInputElement) element.select();
  };
  const next = (name: string) => {
    const at = order.indexOf(name);
    if (at >= 0 && at < order.length - 1) focus(order[at + 1]);
  };
  const enterMovesOn = (name: string) => (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    event.preventDefault();
    if (name === 'comment') void save();
    else next(name);
  };
  const setValue = (key: string, value: string) => {
    setValues((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: '' }));
  };

  const check = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (!sheetNo.trim()) found.sheetNo = t('paper.form.sheetNoRequired');
    for (const item of form.items) {
      const value = values[item.key] ?? '';
      if (item.kind === 'tier') {
        if (!value) found[item.key] = t('paper.form.tierRequired', { item: item.title });
      } else if (!value.trim()) {
        found[item.key] = t('paper.form.scoreRequired', { item: item.title });
      } else if (!SCORE.test(value.trim()) || Number(value) > Number(item.max_points)) {
        found[item.key] = t('paper.form.scoreInvalid', { item: item.title, max: Number(item.max_points) });
      }
    }
    return found;
  };

  const save = async () => {
    if (!ready) return;
    const found = check();
    setErrors(found);
    const firstWrong = order.find((name) => found[name]);
    if (firstWrong) {
      focus(firstWrong);
      return;
    }
    const sheet: PaperSheet = {
      sheet_no: sheetNo.trim(),
      report_id: reportId,
      group_key: groupKey,
      items: Object.fromEntries(
        form.items.map((item) => [item.key, item.kind === 'tier' ? (values[item.key] as Tier) : Number(values[item.key].trim())]),
      ),
      comment: comment.trim() || null,
      comment_category: comment.trim() ? (category ?? null) : null,
    };
    setFailure(null);
    try {
      await enter.mutateAsync({ entry, sheets: [sheet] });
    } catch (cause) {
      setFailure(cause);
      return;
    }
    void message.success(t('paper.form.saved', { sheetNo: sheet.sheet_no, entry: entryName }));
    setSaved((current) => [{ sheet, entry }, ...current.filter((s) => s.sheet.sheet_no !== sheet.sheet_no || s.sheet.report_id !== sheet.report_id || s.entry !== entry)]);
    setValues({});
    setComment('');
    setCategory(undefined);
    setSheetNo(nextSheetNo(sheet.sheet_no));
    setTimeout(() => focus('sheetNo'), 0);
  };

  const problem = failure ? describeError(t, failure) : null;
  const orgOf = (id: number) => form.reports.find((r) => r.report_id === id)?.org_name ?? String(id);
  const groupOf = (key: string) => form.groups.find((g) => g.key === key)?.name ?? key;
  const shown = (sheet: PaperSheet) =>
    form.items
      .map((item) => {
        const value = sheet.items[item.key];
        return typeof value === 'string' ? t(`paper.tiers.${value}`) : String(value);
      })
      .join(' · ');

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="paper-sheet-form">
      <Card size="small" title={t('paper.form.upFront')}>
        <Row gutter={[16, 8]}>
          <Col xs={24} md={14}>
            <Form.Item label={t('paper.form.report')} style={{ marginBottom: 0 }}>
              <Select
                value={reportId}
                onChange={setReportId}
                placeholder={t('paper.form.reportRequired')}
                showSearch
                optionFilterProp="label"
                options={form.reports.map((r) => ({ value: r.report_id, label: `${r.org_name} · ${r.title}` }))}
                data-testid="paper-report"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item label={t('paper.form.group')} style={{ marginBottom: 0 }}>
              <Select
                value={groupKey}
                onChange={setGroupKey}
                placeholder={t('paper.form.groupRequired')}
                options={form.groups.map((g) => ({ value: g.key, label: g.name }))}
                data-testid="paper-group"
              />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card size="small" title={`${entryName}${reportId !== undefined ? ` · ${orgOf(reportId)}` : ''}${groupKey ? ` · ${groupOf(groupKey)}` : ''}`}>
        {!ready ? (
          <Typography.Text type="secondary">{t('paper.form.selectFirst')}</Typography.Text>
        ) : (
          <Form layout="vertical" component="div">
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('paper.form.keys')}
            </Typography.Paragraph>
            <Form.Item
              label={t('paper.form.sheetNo')}
              required
              validateStatus={errors.sheetNo ? 'error' : undefined}
              help={errors.sheetNo || undefined}
              extra={t('paper.form.sheetNoHint')}
            >
              <Input
                id={FIELD('sheetNo')}
                value={sheetNo}
                maxLength={32}
                autoFocus
                autoComplete="off"
                style={{ maxWidth: 220 }}
                onChange={(event) => {
                  setSheetNo(event.target.value);
                  setErrors((current) => ({ ...current, sheetNo: '' }));
                }}
                onKeyDown={enterMovesOn('sheetNo')}
                data-testid="paper-sheet-no"
              />
            </Form.Item>
            {form.items.map((item) => (
              <Form.Item
                key={item.key}
                label={item.title}
                required
                tooltip={item.description ?? undefined}
                validateStatus={errors[item.key] ? 'error' : undefined}
                help={errors[item.key] || undefined}
              >
                {item.kind === 'tier' ? (
                  <TierPicker item={item} value={values[item.key] as Tier | undefined} onChange={(tier) => setValue(item.key, tier)} onNext={() => next(item.key)} />
                ) : (
                  <Input
                    id={FIELD(item.key)}
                    value={values[item.key] ?? ''}
                    inputMode="decimal"
                    autoComplete="off"
                    style={{ maxWidth: 220 }}
                    suffix={<Typography.Text type="secondary">{t('paper.form.score', { max: Number(item.max_points) })}</Typography.Text>}
                    onChange={(event) => setValue(item.key, event.target.value)}
                    onKeyDown={enterMovesOn(item.key)}
                    data-testid={`paper-item-${item.key}`}
                  />
                )}
              </Form.Item>
            ))}
            <Row gutter={16}>
              <Col xs={24} md={16}>
                <Form.Item label={t('paper.form.comment')}>
                  <Input
                    id={FIELD('comment')}
                    value={comment}
                    maxLength={2000}
                    autoComplete="off"
                    onChange={(event) => setComment(event.target.value)}
                    onKeyDown={enterMovesOn('comment')}
                    data-testid="paper-comment"
                  />
                </Form.Item>
              </Col>
              {form.opinion_categories.length > 0 && (
                <Col xs={24} md={8}>
                  <Form.Item label={t('paper.form.category')}>
                    <Select
                      value={category}
                      onChange={setCategory}
                      allowClear
                      disabled={!comment.trim()}
                      options={form.opinion_categories.map((c) => ({ value: c, label: c }))}
                    />
                  </Form.Item>
                </Col>
              )}
            </Row>
            {problem && <Alert type="error" showIcon message={problem.title} description={problem.detail} style={{ marginBottom: 12 }} data-testid="paper-save-error" />}
            <Button type="primary" onClick={() => void save()} loading={enter.isPending} data-testid="paper-save">
              {t('paper.form.save')}
            </Button>
          </Form>
        )}
      </Card>
      <Card size="small" title={t('paper.form.recent')}>
        <Table<Saved>
          size="small"
          rowKey={(row) => `${row.entry}-${row.sheet.report_id}-${row.sheet.sheet_no}`}
          dataSource={saved}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('paper.form.recentEmpty') }}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('paper.form.sheetNo'), key: 'no', render: (_, row) => row.sheet.sheet_no },
            { title: t('paper.form.report'), key: 'report', render: (_, row) => orgOf(row.sheet.report_id) },
            { title: t('paper.form.group'), key: 'group', render: (_, row) => groupOf(row.sheet.group_key) },
            { title: t('paper.reconcile.field'), key: 'items', render: (_, row) => shown(row.sheet) },
          ]}
          data-testid="paper-recent"
        />
      </Card>
    </Space>
  );
}
