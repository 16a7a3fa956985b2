import { DeleteOutlined, FileExcelOutlined, FileWordOutlined, RollbackOutlined, SendOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Popconfirm, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

import { describeError } from '../../../../lib/errors';
import { downloadBulletin, useDeleteBulletin, usePublishBulletin, useWithdrawBulletin } from '../api';
import { bulletinActions } from '../logic';
import type { Bulletin } from '../types';

/** A problem said in one line: the API's title with its detail (e.g. why publishing was refused). */
export function useFail() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (error: unknown) => {
    const { title, detail } = describeError(t, error);
    void message.error(detail ? `${title}：${detail}` : title);
  };
}

/** Download the bulletin as Word or Excel; publish, withdraw (with the reason) or delete it — the latter only for who may. */
export function BulletinActions({ bulletin }: { bulletin: Bulletin }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const fail = useFail();
  const publish = usePublishBulletin();
  const withdraw = useWithdrawBulletin();
  const remove = useDeleteBulletin(bulletin.programme_id);
  const [withdrawing, setWithdrawing] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const [downloading, setDownloading] = useState<'docx' | 'xlsx' | null>(null);
  const may = bulletinActions(bulletin);

  const download = (ext: 'docx' | 'xlsx') => {
    setDownloading(ext);
    downloadBulletin(bulletin, ext)
      .catch(fail)
      .finally(() => setDownloading(null));
  };

  return (
    <>
      <Button icon={<FileWordOutlined />} loading={downloading === 'docx'} onClick={() => download('docx')} data-testid="bulletin-docx">
        {t('supervision.bulletins.docx')}
      </Button>
      <Button icon={<FileExcelOutlined />} loading={downloading === 'xlsx'} onClick={() => download('xlsx')} data-testid="bulletin-xlsx">
        {t('supervision.bulletins.xlsx')}
      </Button>
      {may.publish && (
        <Popconfirm
          title={t('supervision.bulletins.publish')}
          description={<div style={{ maxWidth: 280 }}>{t('supervision.bulletins.publishConfirm')}</div>}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          onConfirm={() => publish.mutateAsync(bulletin.id).then(() => void message.success(t('supervision.bulletins.published')), fail)}
        >
          <Button type="primary" icon={<SendOutlined />} loading={publish.isPending} data-testid="bulletin-publish">
            {t('supervision.bulletins.publish')}
          </Button>
        </Popconfirm>
      )}
      {may.withdraw && (
        <Button icon={<RollbackOutlined />} onClick={() => setWithdrawing(true)} data-testid="bulletin-withdraw">
          {t('supervision.bulletins.withdraw')}
        </Button>
      )}
      {may.remove && (
        <Popconfirm
          title={t('supervision.bulletins.deleteConfirm')}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() =>
            remove.mutateAsync(bulletin.id).then(() => {
              void message.success(t('supervision.bulletins.deleted'));
              navigate(`/targets/bulletins?programme=${bulletin.programme_id}`);
            }, fail)
          }
        >
          <Button danger icon={<DeleteOutlined />} data-testid="bulletin-delete">
            {t('supervision.bulletins.delete')}
          </Button>
        </Popconfirm>
      )}
      <Modal
        open={withdrawing}
        title={t('supervision.bulletins.withdrawTitle')}
        okText={t('supervision.bulletins.withdraw')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, loading: withdraw.isPending }}
        onCancel={() => setWithdrawing(false)}
        onOk={() =>
          void form.validateFields().then(({ reason }) =>
            withdraw.mutateAsync({ id: bulletin.id, reason: reason.trim() }).then(() => {
              void message.success(t('supervision.bulletins.withdrawn'));
              setWithdrawing(false);
              form.resetFields();
            }, fail),
          )
        }
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('supervision.bulletins.withdrawHint')}</Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="reason"
            label={t('supervision.bulletins.withdrawReason')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('supervision.bulletins.reasonTooShort') }]}
          >
            <Input.TextArea rows={3} maxLength={1000} placeholder={t('supervision.bulletins.withdrawPlaceholder')} data-testid="withdraw-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
