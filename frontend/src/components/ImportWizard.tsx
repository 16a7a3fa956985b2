import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Progress, Space, Steps, Table, Typography, Upload } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { describeError } from '../lib/errors';

/** One wrong cell or row of an uploaded sheet, as every import endpoint reports it. */
export interface ImportRowError {
  row: number;
  column?: string | null;
  message: string;
}

/** What an import endpoint answers, for a dry run and for a real run alike. */
export interface ImportOutcome {
  applied: boolean;
  errors: readonly ImportRowError[];
}

export interface ImportWizardProps<R extends ImportOutcome> {
  /** Send the file: a dry run only checks it, a real run applies every row or none; may report the upload's progress (0..100). */
  run: (file: File, dryRun: boolean, onProgress: (percent: number) => void) => Promise<R>;
  /** Save the sheet of a failed dry run with its errors marked (without it, the errors are listed only). */
  downloadErrors?: (result: R) => Promise<void>;
  /** What the file holds (its columns), shown above the steps' buttons. */
  hint: ReactNode;
  /** The dry run's summary, e.g. how many rows would be added. */
  checked: (result: R) => string;
  /** The real run's summary. */
  done: (result: R) => string;
  /** File types the picker offers, e.g. ".xlsx,.csv". */
  accept: string;
  /** Before the file button, e.g. the template's download. */
  extra?: ReactNode;
  /** Prefix of every test id ("import" → "import-choose", "import-apply", …). */
  testId: string;
}

type Phase = 'upload' | 'checking' | 'checked' | 'applying' | 'done';
const STEP: Record<Phase, number> = { upload: 0, checking: 1, checked: 1, applying: 2, done: 3 };

/** Choose a file → dry run (every row checked, errors listed) → import → result; nothing applied while any row is wrong. */
export function ImportWizard<R extends ImportOutcome>({ run, downloadErrors, hint, checked, done, accept, extra, testId }: ImportWizardProps<R>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('upload');
  const [result, setResult] = useState<R | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The upload's progress when `run` reports it; null while it does not (a fixed bar is shown then).
  const [percent, setPercent] = useState<number | null>(null);

  const send = async (chosen: File, dryRun: boolean) => {
    setError(null);
    setPercent(null);
    setPhase(dryRun ? 'checking' : 'applying');
    try {
      const outcome = await run(chosen, dryRun, setPercent);
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
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid={`${testId}-wizard`}>
      <Steps
        current={STEP[phase]}
        status={failed || error ? 'error' : phase === 'done' ? 'finish' : 'process'}
        items={[
          { title: t('importWizard.stepChoose') },
          { title: t('importWizard.stepCheck') },
          { title: t('importWizard.stepApply') },
          { title: t('importWizard.stepDone') },
        ]}
      />
      <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
      <Space wrap>
        {extra}
        <Upload
          accept={accept}
          maxCount={1}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(chosen) => {
            setFile(chosen);
            setResult(null);
            void send(chosen, true);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} disabled={busy} data-testid={`${testId}-choose`}>
            {t('importWizard.choose')}
          </Button>
        </Upload>
        {file && <Typography.Text>{file.name}</Typography.Text>}
        {phase === 'checked' && result && !failed && file && (
          <Button type="primary" onClick={() => void send(file, false)} data-testid={`${testId}-apply`}>
            {t('importWizard.apply')}
          </Button>
        )}
        {phase === 'done' && <Button onClick={reset}>{t('importWizard.again')}</Button>}
      </Space>
      {busy && (
        <div data-testid={`${testId}-progress`}>
          <Typography.Text>{t(phase === 'checking' ? 'importWizard.checking' : 'importWizard.applying')}</Typography.Text>
          {percent === null ? (
            <Progress percent={phase === 'checking' ? 50 : 85} status="active" showInfo={false} />
          ) : (
            <Progress percent={percent} status="active" data-testid={`${testId}-upload-progress`} />
          )}
        </div>
      )}
      {problem && <Alert type="error" showIcon message={problem.title} description={problem.detail} />}
      {result && !failed && phase === 'checked' && (
        <Alert type="success" showIcon message={checked(result)} data-testid={`${testId}-checked`} />
      )}
      {result && phase === 'done' && <Alert type="success" showIcon message={done(result)} data-testid={`${testId}-done`} />}
      {result && failed && (
        <>
          <Alert
            type="error"
            showIcon
            message={t('importWizard.failed', { count: result.errors.length })}
            action={
              downloadErrors && (
                <Button
                  icon={<DownloadOutlined />}
                  onClick={() => void downloadErrors(result).catch((cause: unknown) => void message.error(describeError(t, cause).title))}
                  data-testid={`${testId}-error-sheet`}
                >
                  {t('importWizard.downloadErrors')}
                </Button>
              )
            }
            data-testid={`${testId}-failed`}
          />
          <Table<ImportRowError>
            rowKey={(row) => `${row.row}-${row.column ?? ''}-${row.message}`}
            size="small"
            dataSource={[...result.errors]}
            pagination={{ pageSize: 20 }}
            columns={[
              { title: t('importWizard.row'), dataIndex: 'row', width: 80 },
              { title: t('importWizard.column'), dataIndex: 'column', width: 160 },
              { title: t('importWizard.message'), dataIndex: 'message' },
            ]}
            data-testid={`${testId}-errors`}
          />
        </>
      )}
    </Space>
  );
}
