import { FileWordOutlined } from '@ant-design/icons';
import { App, Button, Progress, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ReportDocumentRead } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { useImportDocument } from '../api';
import { SLIDES_MAX_MB } from './Attachments';

const MB = 1024 * 1024;
/** Word documents share the slides' size limit on the server. */
export const DOCUMENT_MAX_MB = SLIDES_MAX_MB;
const OLD_WORD = ['.doc', '.dot', '.wps'];

/** Why a file will not be imported, checked before it is sent (the server checks again, by content too). */
export function documentProblem(file: { name: string; size: number }): 'old' | 'type' | 'size' | null {
  const dot = file.name.lastIndexOf('.');
  const ext = dot < 0 ? '' : file.name.slice(dot).toLowerCase();
  if (OLD_WORD.includes(ext)) return 'old';
  if (ext !== '.docx') return 'type';
  if (file.size > DOCUMENT_MAX_MB * MB) return 'size';
  return null;
}

interface WordImportProps {
  reportId: number;
  /** The text in the editor now: replacing it is confirmed first unless it is blank. */
  currentBody: string;
  onImported: (result: ReportDocumentRead) => void;
}

/** 从 Word 导入: a .docx's text replaces the report's, after a confirmation when there is text to lose. */
export function WordImport({ reportId, currentBody, onImported }: WordImportProps) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const importDocument = useImportDocument(onImported);
  const [percent, setPercent] = useState<number | null>(null);

  const send = (file: File) => {
    setPercent(0);
    importDocument.mutate(
      { id: reportId, file, onProgress: setPercent },
      {
        onError: (error) => {
          const { title, detail } = describeError(t, error);
          void message.error(detail ? `${title}: ${detail}` : title);
        },
        onSettled: () => setPercent(null),
      },
    );
  };

  const choose = (file: File) => {
    const problem = documentProblem(file);
    if (problem === 'old') void message.error(t('reports.word.oldFormat', { name: file.name }), 8);
    else if (problem === 'type') void message.error(t('reports.word.badType'));
    else if (problem === 'size') void message.error(t('reports.word.tooLarge', { limit: DOCUMENT_MAX_MB }));
    else if (!currentBody.trim()) send(file);
    else
      modal.confirm({
        title: t('reports.word.confirmTitle'),
        content: t('reports.word.confirmBody', { name: file.name }),
        okText: t('reports.word.replace'),
        cancelText: t('common.cancel'),
        onOk: () => send(file),
      });
    return false;
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="word-import">
      <Space wrap>
        <Upload accept=".docx" showUploadList={false} beforeUpload={choose} disabled={importDocument.isPending}>
          <Button icon={<FileWordOutlined />} loading={importDocument.isPending}>
            {importDocument.isPending ? t('reports.word.importing') : t('reports.word.import')}
          </Button>
        </Upload>
        <Typography.Text type="secondary">{t('reports.word.help')}</Typography.Text>
      </Space>
      {percent !== null && <Progress percent={percent} status="active" data-testid="word-import-progress" />}
    </Space>
  );
}
