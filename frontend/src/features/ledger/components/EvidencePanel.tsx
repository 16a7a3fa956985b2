import { DeleteOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Empty, List, Popconfirm, Space, Typography, Upload } from 'antd';
import { useTranslation } from 'react-i18next';

import type { LedgerEvidence } from '../../../api/types';
import { formatDateTime } from '../../../lib/datetime';
import { describeError } from '../../../lib/errors';
import { downloadEvidence, useRemoveEvidence, useUploadEvidence } from '../api';

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Evidence files: upload (checked by the server), download, remove. */
export function EvidencePanel({ itemId, evidence, canChange }: { itemId: number; evidence: LedgerEvidence[]; canChange: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const upload = useUploadEvidence(itemId);
  const remove = useRemoveEvidence(itemId);
  const fail = (cause: unknown) => {
    const { title, detail } = describeError(t, cause);
    void message.error(detail ? `${title}: ${detail}` : title);
  };

  return (
    <div data-testid="ledger-evidence">
      {canChange && (
        <Space direction="vertical" style={{ marginBottom: 12 }}>
          <Upload
            accept=".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx"
            showUploadList={false}
            beforeUpload={(file) => {
              upload.mutateAsync(file).then(() => void message.success(t('ledger.uploaded')), fail);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="evidence-upload">
              {t('ledger.upload')}
            </Button>
          </Upload>
          <Typography.Text type="secondary">{t('ledger.uploadHint')}</Typography.Text>
        </Space>
      )}
      {evidence.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.noEvidence')} />
      ) : (
        <List
          size="small"
          dataSource={evidence}
          renderItem={(file) => (
            <List.Item
              key={file.id}
              actions={[
                <Button
                  key="download"
                  size="small"
                  icon={<DownloadOutlined />}
                  aria-label={file.filename}
                  onClick={() => void downloadEvidence(itemId, file.id, file.filename).catch(fail)}
                />,
                ...(canChange
                  ? [
                      <Popconfirm key="remove" title={t('ledger.removeConfirm')} onConfirm={() => remove.mutateAsync(file.id).catch(fail)}>
                        <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('ledger.remove')} />
                      </Popconfirm>,
                    ]
                  : []),
              ]}
            >
              <List.Item.Meta
                title={file.filename}
                description={`${size(file.size_bytes)} · ${file.uploaded_by_name} · ${formatDateTime(file.created_at)}`}
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
