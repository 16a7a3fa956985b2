import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Progress, Space, Steps, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ImportResult } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { downloadErrorSheet, useImport } from '../api';

type Phase = 'upload' | 'checking' | 'checked' | 'applying' | 'done';
const STEP: Record<Phase, number> = { upload: 0, checking: 1, checked: 1, applying: 2, done: 3 };

/** Upload → dry run → import: every row checked first, nothing applied while any row is wrong. */
export function ImportPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const importer = useImport();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('upload');
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  const run = async (chosen: File, dryRun: boolean) => {
    setError(null);
    setPhase(dryRun ? 'checking' : 'applying');
    try {
      const outcome = await importer.mutateAsync({ file: chosen, dryRun });
      setResult(outcome);
      setPhase(!dryRun && outcome.applied ? 'done' : 'checked');
    } catch (cause) {
      setError(cause);
      setPhase('upload');
    }
  };

  const reset = () => {
    setFile(null);
    setResult(null);
    setError(null);
    setPhase('upload');
  };

  const busy = phase === 'checking' || phase === 'applying';
  const failed = result !== null && result.errors.length > 0;
  const problem = error ? describeError(t, error) : null;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="import-panel">
      <Steps
        current={STEP[phase]}
        status={failed || error ? 'error' : phase === 'done' ? 'finish' : 'process'}
        items={[
          { title: t('petitions.import.stepUpload') },
          { title: t('petitions.import.stepCheck') },
          { title: t('petitions.import.stepApply') },
          { title: t('petitions.import.stepDone') },
        ]}
      />
      <Typography.Paragraph type="secondary">{t('petitions.import.hint')}</Typography.Paragraph>
      <Space wrap>
        <Upload
          accept=".xlsx,.csv"
          maxCount={1}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(chosen) => {
            setFile(chosen);
            setResult(null);
            void run(chosen, true);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} disabled={busy} data-testid="import-choose">
            {t('petitions.import.choose')}
          </Button>
        </Upload>
        {file && <Typography.Text>{file.name}</Typography.Text>}
        {phase === 'checked' && result && !failed && file && (
          <Button type="primary" onClick={() => void run(file, false)} data-testid="import-apply">
            {t('petitions.import.apply')}
          </Button>
        )}
        {phase === 'done' && <Button onClick={reset}>{t('petitions.import.again')}</Button>}
      </Space>
      {busy && (
        <div>
          <Typography.Text>{t(phase === 'checking' ? 'petitions.import.checking' : 'petitions.import.applying')}</Typography.Text>
          <Progress percent={phase === 'checking' ? 50 : 85} status="active" showInfo={false} />
        </div>
      )}
      {problem && <Alert type="error" showIcon message={problem.title} description={problem.detail} />}
      {result && !failed && phase === 'checked' && (
        <Alert type="success" showIcon message={t('petitions.import.checked', { ...result })} data-testid="import-checked" />
      )}
      {result && phase === 'done' && (
        <Alert type="success" showIcon message={t('petitions.import.done', { ...result })} data-testid="import-done" />
      )}
      {result && failed && (
        <>
          <Alert
            type="error"
            showIcon
            message={t('petitions.import.failed', { count: result.errors.length })}
            action={
              <Button
                icon={<DownloadOutlined />}
                onClick={() =>
                  void downloadErrorSheet(result.run_id).catch((cause: unknown) => void message.error(describeError(t, cause).title))
                }
                data-testid="import-error-sheet"
              >
                {t('petitions.import.downloadErrors')}
              </Button>
            }
            data-testid="import-failed"
          />
          <Table
            rowKey={(row) => `${row.row}-${row.column ?? ''}-${row.message}`}
            size="small"
            dataSource={result.errors}
            pagination={{ pageSize: 20 }}
            columns={[
              { title: t('petitions.import.row'), dataIndex: 'row', width: 80 },
              { title: t('petitions.import.column'), dataIndex: 'column', width: 160 },
              { title: t('petitions.import.message'), dataIndex: 'message' },
            ]}
            data-testid="import-errors"
          />
        </>
      )}
    </Space>
  );
}
