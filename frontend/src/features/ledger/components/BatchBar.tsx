import { App, Button, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { LedgerItem, LedgerStatus } from '../../../api/types';
import { BatchConfirm, batchRefusal } from '../../../components/BatchConfirm';
import { useBatchTransition, useMergeInto } from '../api';
import { actionKey } from './ItemActions';

const ACTIVE: readonly LedgerStatus[] = ['open', 'in_progress'];

/** The steps every selected item may take now, in the order the first one lists them. */
export function commonSteps(items: readonly LedgerItem[]): LedgerStatus[] {
  if (items.length === 0) return [];
  return items[0].allowed_transitions.filter((to) => items.every((item) => item.allowed_transitions.includes(to)));
}

/** The one word for a step taken by items that may stand in different statuses (done → in_progress sends back). */
export function stepKey(items: readonly LedgerItem[], to: LedgerStatus): string {
  const keys = new Set(items.map((item) => actionKey(item.status, to)));
  return keys.size === 1 ? [...keys][0] : to;
}

/** A refusal or a sending back must say why. */
export function stepNeedsReason(items: readonly LedgerItem[], to: LedgerStatus): boolean {
  return to === 'rejected' || (to === 'in_progress' && items.some((item) => item.status === 'done'));
}

/** Whether the items can merge: two or more, all still being worked on, of one cycle and one organisation. */
export function mergeable(items: readonly LedgerItem[]): boolean {
  return (
    items.length >= 2 &&
    items.every((item) => ACTIVE.includes(item.status) && item.org.id === items[0].org.id && item.cycle.id === items[0].cycle.id)
  );
}

/** The item a merge keeps by default: the one holding most opinions, else the oldest (as the server suggests). */
export function defaultTarget(items: readonly LedgerItem[]): number {
  return [...items].sort((a, b) => b.opinion_count - a.opinion_count || a.id - b.id)[0].id;
}

interface BatchBarProps {
  selected: LedgerItem[];
  onDone: () => void;
  onClear: () => void;
}

/** Batch actions on the ledger's selected items: one step for all (confirmed by name), or merging them into one. */
export function BatchBar({ selected, onDone, onClear }: BatchBarProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const move = useBatchTransition();
  const merge = useMergeInto();
  const [to, setTo] = useState<LedgerStatus | null>(null);
  const [confirming, setConfirming] = useState<'move' | 'merge' | null>(null);
  const [target, setTarget] = useState<number | null>(null);
  const [error, setError] = useState<ReturnType<typeof batchRefusal> | null>(null);
  const [form] = Form.useForm<{ note?: string }>();

  const steps = commonSteps(selected);
  const step = to !== null && steps.includes(to) ? to : null;
  const action = step ? t(`ledger.action.${stepKey(selected, step)}` as 'ledger.action.open') : '';
  const status = step ? t(`ledger.status.${step}`) : '';
  const reason = step !== null && stepNeedsReason(selected, step);
  const canMerge = mergeable(selected);
  const keep = target !== null && selected.some((item) => item.id === target) ? target : canMerge ? defaultTarget(selected) : null;
  const line = (item: LedgerItem) =>
    t('batch.ledger.itemLine', { id: item.id, title: item.title, org: item.org.name, status: t(`ledger.status.${item.status}`) });

  const close = () => {
    setConfirming(null);
    setError(null);
  };

  const submitMove = async () => {
    if (!step) return;
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setError(null);
    try {
      const moved = await move.mutateAsync({ item_ids: selected.map((item) => item.id), to: step, note: values.note?.trim() || undefined });
      void message.success(t('batch.ledger.done', { action, count: moved.length }));
      form.resetFields();
      setTo(null);
      close();
      onDone();
    } catch (cause) {
      setError(batchRefusal(t, cause));
    }
  };

  const submitMerge = async () => {
    if (keep === null) return;
    setError(null);
    const others = selected.filter((item) => item.id !== keep).map((item) => item.id);
    try {
      await merge.mutateAsync({ target: keep, itemIds: others });
      void message.success(t('batch.ledger.merged', { count: others.length, id: keep }));
      close();
      onDone();
    } catch (cause) {
      setError(batchRefusal(t, cause));
    }
  };

  return (
    <Space wrap style={{ marginBottom: 12 }} data-testid="ledger-batch">
      <Typography.Text type="secondary">{t('batch.selected', { count: selected.length })}</Typography.Text>
      <Select<LedgerStatus>
        style={{ minWidth: 160 }}
        value={step ?? undefined}
        onChange={setTo}
        placeholder={steps.length > 0 || selected.length === 0 ? t('batch.ledger.movePlaceholder') : t('batch.ledger.noCommonStep')}
        disabled={steps.length === 0}
        options={steps.map((s) => ({ value: s, label: t(`ledger.action.${stepKey(selected, s)}` as 'ledger.action.open') }))}
        aria-label={t('batch.ledger.movePlaceholder')}
        data-testid="ledger-batch-step"
      />
      <Button type="primary" disabled={step === null} onClick={() => setConfirming('move')} data-testid="ledger-batch-move">
        {t('batch.ledger.move')}
      </Button>
      <Button
        disabled={!canMerge}
        title={canMerge ? undefined : selected.length < 2 ? t('batch.ledger.mergeNeedsTwo') : t('batch.ledger.mergeSameOrg')}
        onClick={() => setConfirming('merge')}
        data-testid="ledger-batch-merge"
      >
        {t('batch.ledger.merge', { count: selected.length })}
      </Button>
      {selected.length > 0 && (
        <Button type="link" onClick={onClear}>
          {t('batch.clear')}
        </Button>
      )}
      <BatchConfirm
        open={confirming === 'move' && step !== null}
        title={t('batch.ledger.title', { action })}
        intro={t('batch.ledger.intro', { count: selected.length, action, status })}
        lines={selected.map(line)}
        okText={t('batch.ledger.confirm', { action, count: selected.length })}
        danger={step === 'rejected'}
        onOk={() => void submitMove()}
        onCancel={close}
        loading={move.isPending}
        error={error}
        testId="ledger-batch-confirm"
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="note"
            label={t('batch.ledger.note')}
            rules={reason ? [{ required: true, whitespace: true, message: t('batch.ledger.noteRequired') }] : []}
          >
            <Input.TextArea rows={2} maxLength={4000} placeholder={reason ? t('batch.ledger.noteRequired') : t('batch.ledger.notePlaceholder')} />
          </Form.Item>
        </Form>
      </BatchConfirm>
      <BatchConfirm
        open={confirming === 'merge' && keep !== null}
        title={t('batch.ledger.mergeTitle', { count: selected.length })}
        intro={t('batch.ledger.mergeIntro', { count: selected.length - 1 })}
        lines={[]}
        okText={t('batch.ledger.mergeConfirm')}
        onOk={() => void submitMerge()}
        onCancel={close}
        loading={merge.isPending}
        error={error}
        testId="ledger-merge-confirm"
      >
        <Radio.Group value={keep} onChange={(e) => setTarget(e.target.value as number)} style={{ width: '100%', marginBottom: 12 }}>
          <Space direction="vertical">
            {selected.map((item) => (
              <Radio key={item.id} value={item.id}>
                {line(item)} · {t('batch.ledger.opinions', { count: item.opinion_count })}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </BatchConfirm>
    </Space>
  );
}
