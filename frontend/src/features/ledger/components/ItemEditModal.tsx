import { App, Button, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { LedgerItem, LedgerItemUpdate } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { applyProblemToForm } from '../../../lib/forms';
import { useUpdateItem } from '../api';
import { DEFAULT_CATEGORIES } from './categories';

interface Values {
  title: string;
  measures?: string;
  category?: string;
  due_date: Dayjs;
}

/** Edit an item: the org department changes anything, the owner organisation its measures. */
export function ItemEditModal({ item, staff }: { item: LedgerItem; staff: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateItem(item.id);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();

  const submit = async () => {
    // An invalid form shows its messages; there is nothing more to do.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const body: LedgerItemUpdate = staff
      ? { title: values.title, measures: values.measures ?? null, category: values.category, due_date: values.due_date.format('YYYY-MM-DD') }
      : { measures: values.measures ?? null };
    try {
      await update.mutateAsync(body);
      void message.success(t('ledger.saved'));
      setOpen(false);
    } catch (cause) {
      if (!applyProblemToForm(form, cause)) void message.error(describeError(t, cause).title);
    }
  };

  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="ledger-edit">
        {t('ledger.edit')}
      </Button>
      <Modal
        open={open}
        title={t('ledger.editTitle')}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        confirmLoading={update.isPending}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{
            title: item.title,
            measures: item.measures ?? undefined,
            category: item.category ?? undefined,
            due_date: dayjs(item.due_date),
          }}
        >
          <Form.Item name="title" label={t('ledger.itemTitle')} rules={[{ required: true, min: 2, max: 200 }]}>
            <Input disabled={!staff} />
          </Form.Item>
          <Form.Item name="measures" label={t('ledger.measures')}>
            <Input.TextArea rows={4} maxLength={8000} data-testid="edit-measures" />
          </Form.Item>
          <Form.Item name="category" label={t('ledger.category')}>
            <Select disabled={!staff} options={DEFAULT_CATEGORIES.map((c) => ({ value: c, label: c }))} />
          </Form.Item>
          <Form.Item name="due_date" label={t('ledger.dueDate')} rules={[{ required: true }]}>
            <DatePicker disabled={!staff} allowClear={false} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
