import { useTranslation } from 'react-i18next';

import type { ImportResult } from '../../../api/types';
import { ImportWizard } from '../../../components/ImportWizard';
import { downloadErrorSheet, useImport } from '../api';

/** Petition cases from an .xlsx or .csv sheet, through the import wizard (dry run first). */
export function ImportPanel() {
  const { t } = useTranslation();
  const importer = useImport();
  return (
    <ImportWizard<ImportResult>
      run={(file, dryRun) => importer.mutateAsync({ file, dryRun })}
      downloadErrors={(result) => downloadErrorSheet(result.run_id)}
      hint={t('petitions.import.hint')}
      checked={(result) => t('petitions.import.checked', { ...result })}
      done={(result) => t('petitions.import.done', { ...result })}
      accept=".xlsx,.csv"
      testId="import"
    />
  );
}
