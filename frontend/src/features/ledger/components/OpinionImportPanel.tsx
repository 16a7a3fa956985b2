import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Progress, Space, Steps, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { OpinionImportResult } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { downloadImportErrors, downloadImportTemplate, useImportOpinions } from '../api';

type Phase = 'upload' | 'checking' | 'checked' | 'applying' | 'done';
const STEP: Record<Phase, number> = { upload: 0, checking: 1, checked: 1, applying: 2, done: 3 };

/** Upload → dry run → import: every row checked first, nothing applied while any row is wrong. */
export function OpinionImportPanel({ cycleId }: { cycleId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const importer = useImportOpinions(cycleId);
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('upload');
  const [result, setResult] = useState<OpinionImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const fail = (cause: unknown) => void message.error(describeError(t, cause).title);

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

  const busy = phase === 'checking' || phase === 'applying';
  const failed = result !== null && result.errors.length > 0;
  const problem = error ? describeError(t, error) : null;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="opinion-import">
      <Steps
        current={STEP[phase]}
        status={failed || error ? 'error' : phase === 'done' ? 'finish' : 'process'}
        items={[
          { title: t('ledger.import.stepUpload') },
          { title: t('ledger.import.stepCheck') },
          { title: t('ledger.import.stepApply') },
          { title: t('ledger.import.stepDone') },
        ]}
      />
      <Typography.Paragraph type="secondary">{t('ledger.import.hint')}</Typography.Paragraph>
      <Space wrap>
        <Button icon={<DownloadOutlined />} onClick={() => void downloadImportTemplate(cycleId).catch(fail)}>
          {t('ledger.import.template')}
        </Button>
        <Upload
          accept=".xlsx"
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
          <Button icon={<UploadOutlined />} disabled={busy} data-testid="opinion-import-choose">
            {t('ledger.import.choose')}
          </Button>
        </Upload>
        {file && <Typography.Text>{file.name}</Typography.Text>}
        {phase === 'checked' && result && !failed && file && (
          <Button type="primary" onClick={() => void run(file, false)} data-testid="opinion-import-apply">
            {t('ledger.import.apply')}
          </Button>
        )}
        {phase === 'done' && (
          <Button
            onClick={() => {
              setFile(null);
              setResult(null);
              setPhase('upload');
            }}
          >
            {t('ledger.import.again')}
          </Button>
        )}
      </Space>
      {busy && (
        <div>
          <Typography.Text>{t(phase === 'checking' ? 'ledger.import.checking' : 'ledger.import.applying')}</Typography.Text>
          <Progress percent={phase === 'checking' ? 50 : 85} status="active" showInfo={false} />
        </div>
      )}
      {problem && <Alert type="error" showIcon message={problem.title} description={problem.detail} />}
      {result && !failed && phase === 'checked' && (
        <Alert type="success" showIcon message={t('ledger.import.checked', { rows: result.rows, created: result.created })} data-testid="opinion-import-checked" />
      )}
      {result && phase === 'done' && (
        <Alert type="success" showIcon message={t('ledger.import.done', { created: result.created })} data-testid="opinion-import-done" />
      )}
      {result && failed && (
        <>
          <Alert
            type="error"
            showIcon
            message={t('ledger.import.failed', { count: result.errors.length })}
            action={
              <Button icon={<DownloadOutlined />} onClick={() => void downloadImportErrors(cycleId, result.import_id).catch(fail)} data-testid="opinion-import-error-sheet">
                {t('ledger.import.downloadErrors')}
              </Button>
            }
            data-testid="opinion-import-failed"
          />
          <Table
            rowKey={(row) => `${row.row}-${row.column ?? ''}-${row.message}`}
            size="small"
            dataSource={result.errors}
            pagination={{ pageSize: 20 }}
            columns={[
              { title: t('ledger.import.row'), dataIndex: 'row', width: 80 },
              { title: t('ledger.import.column'), dataIndex: 'column', width: 160 },
              { title: t('ledger.import.message'), dataIndex: 'message' },
            ]}
            data-testid="opinion-import-errors"
          />
        </>
      )}
    </Space>
  );
}
