import { App, Button, DatePicker, Empty, Form, Input, List, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';

import type { LedgerNote } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { applyProblemToForm } from '../../../lib/forms';
import { useAddNote } from '../api';

/** Dated progress notes, and a form to add one for whoever may work on the item. */
export function NotesPanel({ itemId, notes, canAdd }: { itemId: number; notes: LedgerNote[]; canAdd: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const add = useAddNote(itemId);
  const [form] = Form.useForm<{ note_date: Dayjs; text: string }>();

  const submit = async (values: { note_date: Dayjs; text: string }) => {
    try {
      await add.mutateAsync({ note_date: values.note_date.format('YYYY-MM-DD'), text: values.text });
      form.resetFields();
      void message.success(t('common.saved'));
    } catch (cause) {
      if (!applyProblemToForm(form, cause)) void message.error(describeError(t, cause).title);
    }
  };

  return (
    <div data-testid="ledger-notes">
      {notes.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.noNotes')} />
      ) : (
        <List
          size="small"
          dataSource={notes}
          renderItem={(note) => (
            <List.Item key={note.id}>
              <List.Item.Meta title={`${note.note_date} · ${note.author_name}`} description={<Typography.Text>{note.text}</Typography.Text>} />
            </List.Item>
          )}
        />
      )}
      {canAdd && (
        <Form form={form} layout="inline" onFinish={(v) => void submit(v)} initialValues={{ note_date: dayjs() }} style={{ marginTop: 12, rowGap: 8 }}>
          <Form.Item name="note_date" label={t('ledger.noteDate')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} allowClear={false} />
          </Form.Item>
          <Form.Item name="text" label={t('ledger.noteText')} rules={[{ required: true, whitespace: true }]} style={{ flex: 1, minWidth: 240 }}>
            <Input.TextArea rows={1} maxLength={4000} autoSize={{ minRows: 1, maxRows: 4 }} data-testid="note-text" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={add.isPending} data-testid="note-add">
              {t('ledger.addNote')}
            </Button>
          </Form.Item>
        </Form>
      )}
    </div>
  );
}
