import { App, Button, Form, Input, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { formFieldErrors, isApiError } from '../../../api/problem';
import type { LedgerItem } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { useSetPublicity } from '../api';

interface Values {
  public: boolean;
  public_title?: string;
}

/**
 * Whether the item is on the public board, and under which title. The board never shows the item's own
 * title (for a ballot comment, the comment itself), so the field starts empty rather than copying it.
 */
export function PublicityCard({ item }: { item: LedgerItem }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const setPublicity = useSetPublicity(item.id);
  const [form] = Form.useForm<Values>();
  const shown = Form.useWatch('public', form) ?? item.public;

  const submit = async (values: Values) => {
    const title = values.public_title?.trim() || null;
    try {
      await setPublicity.mutateAsync({ public: values.public, public_title: title });
      void message.success(t('ledger.publicity.saved'));
    } catch (cause) {
      // The one field rule the form cannot check itself: a title repeating an anonymous opinion.
      const onTitle = isApiError(cause) && formFieldErrors(cause.problem).some((f) => f.name[0] === 'public_title');
      if (onTitle) {
        form.setFields([{ name: 'public_title', errors: [t(title ? 'ledger.publicity.quoted' : 'ledger.publicity.required')] }]);
      } else {
        const { title: headline, detail } = describeError(t, cause);
        void message.error(detail ? `${headline}: ${detail}` : headline);
      }
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={{ public: item.public, public_title: item.public_title ?? '' }}
      onFinish={(values) => void submit(values)}
      data-testid="ledger-publicity"
    >
      <Form.Item name="public" label={t('ledger.publicity.switch')} valuePropName="checked">
        <Switch data-testid="publicity-switch" />
      </Form.Item>
      <Form.Item
        name="public_title"
        label={t('ledger.publicity.publicTitle')}
        dependencies={['public']}
        rules={shown ? [{ required: true, whitespace: true, message: t('ledger.publicity.required') }] : []}
      >
        <Input maxLength={200} showCount placeholder={t('ledger.publicity.placeholder')} data-testid="publicity-title" />
      </Form.Item>
      <Typography.Paragraph type="secondary">{t('ledger.publicity.hint')}</Typography.Paragraph>
      <Button type="primary" htmlType="submit" loading={setPublicity.isPending} data-testid="publicity-save">
        {t('common.save')}
      </Button>
    </Form>
  );
}
