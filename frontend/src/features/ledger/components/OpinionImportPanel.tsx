import { DownloadOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useTranslation } from 'react-i18next';

import type { OpinionImportResult } from '../../../api/types';
import { ImportWizard } from '../../../components/ImportWizard';
import { describeError } from '../../../lib/errors';
import { downloadImportErrors, downloadImportTemplate, useImportOpinions } from '../api';

/** A cycle's opinions gathered on paper, from the Excel template, through the import wizard (dry run first). */
export function OpinionImportPanel({ cycleId }: { cycleId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const importer = useImportOpinions(cycleId);
  const template = (
    <Button
      icon={<DownloadOutlined />}
      onClick={() => void downloadImportTemplate(cycleId).catch((cause: unknown) => void message.error(describeError(t, cause).title))}
    >
      {t('ledger.import.template')}
    </Button>
  );
  return (
    <ImportWizard<OpinionImportResult>
      run={(file, dryRun) => importer.mutateAsync({ file, dryRun })}
      downloadErrors={(result) => downloadImportErrors(cycleId, result.import_id)}
      hint={t('ledger.import.hint')}
      checked={(result) => t('ledger.import.checked', { rows: result.rows, created: result.created })}
      done={(result) => t('ledger.import.done', { created: result.created })}
      accept=".xlsx"
      extra={template}
      testId="opinion-import"
    />
  );
}
