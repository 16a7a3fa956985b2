import { DeleteOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, List, Popconfirm, Progress, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { AttachmentRead } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { downloadAttachment, useDeleteAttachment, useUploadAttachment } from '../api';

const SLIDES = ['.pdf', '.pptx'];
const IMAGES = ['.png', '.jpg', '.jpeg', '.webp'];
const MB = 1024 * 1024;
export const SLIDES_MAX_MB = 50;
export const IMAGE_MAX_MB = 10;

/** Why a file will be refused, checked before it is sent (the server checks again, by content too). */
export function fileProblem(file: { name: string; size: number }): { key: 'type' | 'size'; limit?: number } | null {
  const ext = file.name.slice(file.name.lastIndexOf('.')).toLowerCase();
  if (!SLIDES.includes(ext) && !IMAGES.includes(ext)) return { key: 'type' };
  const limit = SLIDES.includes(ext) ? SLIDES_MAX_MB : IMAGE_MAX_MB;
  if (file.size > limit * MB) return { key: 'size', limit };
  return null;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MB) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / MB).toFixed(1)} MB`;
}

interface AttachmentsProps {
  reportId: number;
  attachments: AttachmentRead[];
  editable: boolean;
}

/** A report's slides and images: download, and for its secretary upload (with progress) and remove. */
export function Attachments({ reportId, attachments, editable }: AttachmentsProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const upload = useUploadAttachment();
  const remove = useDeleteAttachment();
  const [percent, setPercent] = useState<number | null>(null);

  const fail = (error: unknown) => {
    const { title, detail } = describeError(t, error);
    void message.error(detail ? `${title}: ${detail}` : title);
  };

  const send = (file: File) => {
    const problem = fileProblem(file);
    if (problem) {
      void message.error(problem.key === 'type' ? t('attachments.badType') : t('attachments.tooLarge', { limit: problem.limit }));
      return false;
    }
    setPercent(0);
    upload.mutate(
      { id: reportId, file, onProgress: setPercent },
      {
        onSuccess: (a) => void message.success(t('attachments.uploaded', { name: a.filename })),
        onError: fail,
        onSettled: () => setPercent(null),
      },
    );
    return false;
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="attachments">
      <List
        size="small"
        locale={{ emptyText: t('attachments.none') }}
        dataSource={attachments}
        renderItem={(a) => (
          <List.Item
            actions={[
              <Button
                key="download"
                type="link"
                icon={<DownloadOutlined />}
                onClick={() => void downloadAttachment(reportId, a).catch(fail)}
                aria-label={t('attachments.download', { name: a.filename })}
              />,
              ...(editable
                ? [
                    <Popconfirm
                      key="delete"
                      title={t('attachments.confirmRemove', { name: a.filename })}
                      okText={t('common.ok')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => remove.mutate({ id: reportId, attachmentId: a.id }, { onError: fail })}
                    >
                      <Button type="link" danger icon={<DeleteOutlined />} aria-label={t('attachments.remove', { name: a.filename })} />
                    </Popconfirm>,
                  ]
                : []),
            ]}
          >
            <Typography.Text>{a.filename}</Typography.Text>
            <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
              {size(a.size_bytes)}
            </Typography.Text>
          </List.Item>
        )}
      />
      {editable && (
        <>
          <Upload accept={[...SLIDES, ...IMAGES].join(',')} showUploadList={false} beforeUpload={send} disabled={upload.isPending}>
            <Button icon={<UploadOutlined />} loading={upload.isPending}>
              {t('attachments.upload')}
            </Button>
          </Upload>
          <Typography.Text type="secondary">{t('attachments.limits', { slides: SLIDES_MAX_MB, images: IMAGE_MAX_MB })}</Typography.Text>
          {percent !== null && <Progress percent={percent} status="active" data-testid="attachment-progress" />}
        </>
      )}
    </Space>
  );
}
