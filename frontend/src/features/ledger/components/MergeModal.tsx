import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Empty, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { LedgerItem } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { itemListQuery, useMergeItems } from '../api';

/** What two texts share when they say the same: no spacing, punctuation, case or full-width forms (as the server compares opinions). */
export function sameTextKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{Z}\p{S}\p{C}]/gu, '');
}

/** The organisation's other items of the cycle still being worked on, those saying the same as `item` first. */
export function mergeCandidates(item: LedgerItem, items: readonly LedgerItem[]): { item: LedgerItem; same: boolean }[] {
  const key = sameTextKey(item.title);
  return items
    .filter((other) => other.id !== item.id && other.org.id === item.org.id && other.cycle.id === item.cycle.id)
    .map((other) => ({ item: other, same: sameTextKey(other.title) === key }))
    .sort((a, b) => Number(b.same) - Number(a.same) || a.item.id - b.item.id);
}

/** Merge duplicates into this item (organisation department only): every opinion stays with it as a source. */
export function MergeModal({ item }: { item: LedgerItem }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<number[]>([]);
  const merge = useMergeItems(item.id);
  const list = useQuery({
    ...itemListQuery({ cycle_id: item.cycle.id, org_id: item.org.id, status: ['open', 'in_progress'], limit: 500 }),
    enabled: open,
  });
  const candidates = mergeCandidates(item, list.data?.items ?? []);

  if (item.status !== 'open' && item.status !== 'in_progress') return null;

  const submit = async () => {
    try {
      await merge.mutateAsync(picked);
      void message.success(t('ledger.merge.done', { count: picked.length }));
      setOpen(false);
      setPicked([]);
    } catch (cause) {
      const { title, detail } = describeError(t, cause);
      void message.error(detail ? `${title}: ${detail}` : title);
    }
  };

  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="merge-open">
        {t('ledger.merge.open')}
      </Button>
      <Modal
        open={open}
        title={t('ledger.merge.title', { id: item.id })}
        okText={t('ledger.merge.confirm')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: picked.length === 0 }}
        confirmLoading={merge.isPending}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Alert type="info" showIcon message={t('ledger.merge.hint')} style={{ marginBottom: 16 }} />
        {list.isError && <Alert type="error" showIcon message={describeError(t, list.error).title} />}
        {list.data && candidates.length === 0 && <Empty description={t('ledger.merge.none')} />}
        <Checkbox.Group value={picked} onChange={(values) => setPicked(values as number[])} style={{ width: '100%' }} data-testid="merge-candidates">
          <Space direction="vertical" style={{ width: '100%' }}>
            {candidates.map(({ item: other, same }) => (
              <Checkbox key={other.id} value={other.id}>
                <Space wrap size={4}>
                  <Typography.Text>
                    #{other.id} {other.title}
                  </Typography.Text>
                  {same && <Tag color="orange">{t('ledger.merge.same')}</Tag>}
                  <Typography.Text type="secondary">{t('ledger.merge.opinions', { count: other.opinion_count })}</Typography.Text>
                </Space>
              </Checkbox>
            ))}
          </Space>
        </Checkbox.Group>
      </Modal>
    </>
  );
}
