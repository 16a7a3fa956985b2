import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Progress, Space, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { progressPercent, type DownloadProgress } from '../../../lib/download';
import { describeError } from '../../../lib/errors';

interface Props {
  /** Run the download, reporting progress; resolves once the file was handed to the browser. */
  download: (onProgress: (progress: DownloadProgress) => void) => Promise<void>;
  children: ReactNode;
  testId?: string;
  size?: 'small' | 'middle';
  type?: 'default' | 'link';
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A download button with a progress bar beneath it while the file streams in. */
export function DownloadButton({ download, children, testId = 'download', size = 'middle', type = 'default' }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [progress, setProgress] = useState<DownloadProgress | null>(null);

  const start = async () => {
    setProgress({ loaded: 0, total: null });
    try {
      await download(setProgress);
      void message.success(t('results.download.done'));
    } catch (cause) {
      const { title, detail } = describeError(t, cause);
      void message.error(detail ? `${title}: ${detail}` : title);
    } finally {
      setProgress(null);
    }
  };

  const percent = progress ? progressPercent(progress) : null;
  return (
    <Space direction="vertical" size={2} style={{ minWidth: type === 'link' ? undefined : 160 }}>
      <Button icon={<DownloadOutlined />} size={size} type={type} loading={progress !== null} onClick={() => void start()} data-testid={testId}>
        {children}
      </Button>
      {progress && (
        <div role="status" aria-live="polite" data-testid={`${testId}-progress`}>
          {percent !== null ? (
            <Progress percent={percent} size="small" status="active" />
          ) : (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('results.download.received', { size: formatBytes(progress.loaded) })}
            </Typography.Text>
          )}
        </div>
      )}
    </Space>
  );
}
