import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Input, List, Progress, Space, Tabs, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { isApiError, type FieldError } from '../../../api/problem';
import type { CycleImport, CycleImportResult } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { downloadErrorSheet, downloadTemplate, useImportCycle, useImportExcel } from '../api';

interface Failure {
  title: string;
  detail?: string;
  errors: FieldError[];
  errorSheet?: string;
}

/** "groups[1].weight" for ["body", "groups", 1, "weight"]. */
export function jsonPath(loc: readonly (string | number)[]): string {
  const parts = loc[0] === 'body' ? loc.slice(1) : loc;
  return parts.reduce<string>((path, part) => (typeof part === 'number' ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function ErrorList({ failure }: { failure: Failure }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const place = (loc: readonly (string | number)[]) => {
    if (loc[0] !== 'file') return jsonPath(loc) || t('import.wholeDocument');
    const [, sheet, row, column] = loc;
    if (row === undefined) return t('import.atSheet', { sheet });
    if (column === undefined) return t('import.atRow', { sheet, row });
    return t('import.atCell', { sheet, row, column });
  };
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={failure.title}
      description={
        <Space direction="vertical" style={{ width: '100%' }}>
          {failure.detail && <span>{failure.detail}</span>}
          {failure.errors.length > 0 && (
            <List
              size="small"
              dataSource={failure.errors}
              renderItem={(e) => (
                <List.Item>
                  <Typography.Text code>{place(e.loc)}</Typography.Text> {e.msg}
                </List.Item>
              )}
              data-testid="import-errors"
            />
          )}
          {failure.errorSheet && (
            <Button
              icon={<FileExcelOutlined />}
              onClick={() =>
                void downloadErrorSheet(failure.errorSheet ?? '', t('import.errorSheetName')).catch(() =>
                  message.error(t('import.errorSheetGone')),
                )
              }
              data-testid="error-sheet"
            >
              {t('import.downloadErrorSheet')}
            </Button>
          )}
        </Space>
      }
    />
  );
}

function useFailure() {
  const { t } = useTranslation();
  return (error: unknown): Failure => {
    const { title, detail } = describeError(t, error);
    if (!isApiError(error)) return { title, detail, errors: [] };
    const sheet = error.problem.extensions?.error_sheet;
    return {
      title: t('import.failed'),
      detail: detail ?? title,
      errors: error.problem.errors ?? [],
      errorSheet: typeof sheet === 'string' ? sheet : undefined,
    };
  };
}

interface ImportPanelProps {
  onImported: (result: CycleImportResult) => void;
}

/** Create a cycle from the Excel template (download, fill, upload) or from a JSON document. */
export function ImportPanel({ onImported }: ImportPanelProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const excel = useImportExcel();
  const json = useImportCycle();
  const toFailure = useFailure();
  const [percent, setPercent] = useState<number | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [text, setText] = useState('');
  const [downloading, setDownloading] = useState(false);

  const done = (result: CycleImportResult) => {
    setFailure(null);
    void message.success(t('import.done', { count: result.reports.length }));
    onImported(result);
  };

  const uploadExcel = (file: File) => {
    setFailure(null);
    setPercent(0);
    excel.mutate(
      { file, onProgress: setPercent },
      {
        onSuccess: done,
        onError: (error) => setFailure(toFailure(error)),
        onSettled: () => setPercent(null),
      },
    );
    return false;
  };

  const importJson = () => {
    setFailure(null);
    let doc: CycleImport;
    try {
      doc = JSON.parse(text) as CycleImport;
    } catch (error) {
      setFailure({ title: t('import.notJson'), detail: error instanceof Error ? error.message : undefined, errors: [] });
      return;
    }
    json.mutate(doc, { onSuccess: done, onError: (error) => setFailure(toFailure(error)) });
  };

  const template = () => {
    setDownloading(true);
    downloadTemplate(t('import.templateName'))
      .catch((error: unknown) => {
        const { title, detail } = describeError(t, error);
        void message.error(detail ? `${title}: ${detail}` : title);
      })
      .finally(() => setDownloading(false));
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="import-panel">
      <Tabs
        onChange={() => setFailure(null)}
        items={[
          {
            key: 'excel',
            label: t('import.excel'),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Typography.Paragraph type="secondary">{t('import.excelHelp')}</Typography.Paragraph>
                <Button icon={<DownloadOutlined />} onClick={template} loading={downloading} data-testid="download-template">
                  {t('import.downloadTemplate')}
                </Button>
                <Upload.Dragger
                  accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  beforeUpload={uploadExcel}
                  showUploadList={false}
                  multiple={false}
                  disabled={excel.isPending}
                >
                  <p className="ant-upload-drag-icon">
                    <InboxOutlined />
                  </p>
                  <p className="ant-upload-text">{t('import.dropExcel')}</p>
                </Upload.Dragger>
                {percent !== null && <Progress percent={percent} status="active" data-testid="upload-progress" />}
              </Space>
            ),
          },
          {
            key: 'json',
            label: t('import.json'),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Typography.Paragraph type="secondary">{t('import.jsonHelp')}</Typography.Paragraph>
                <Upload
                  accept=".json,application/json"
                  showUploadList={false}
                  beforeUpload={(file) => {
                    void file.text().then(setText);
                    return false;
                  }}
                >
                  <Button>{t('import.chooseJson')}</Button>
                </Upload>
                <Input.TextArea
                  rows={10}
                  value={text}
                  onChange={(event) => setText(event.target.value)}
                  placeholder='{"name": "…", "host_org_code": "…", "rubric": {…}, "groups": […], "reports": […]}'
                  aria-label={t('import.json')}
                  style={{ fontFamily: 'monospace' }}
                />
                <Button type="primary" onClick={importJson} disabled={!text.trim()} loading={json.isPending}>
                  {t('import.importJson')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {failure && <ErrorList failure={failure} />}
    </Space>
  );
}
