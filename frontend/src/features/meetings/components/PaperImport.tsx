import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { ImportWizard, type ImportRowError } from '../../../components/ImportWizard';
import { importSheets, paperKeys, type Entry, type PaperForm } from '../paper';

/** What the wizard shows of an import: a dry run's check, or a real run's count stored. */
export interface PaperImportOutcome {
  applied: boolean;
  errors: readonly ImportRowError[];
  sheets: number;
  new: number;
  replaced: number;
  stored: number;
}

/** One entry's sheets from an .xlsx or .csv file, through the import wizard: dry run first, upload progress shown. */
export function PaperImport({ meetingId, form, entry }: { meetingId: number; form: PaperForm; entry: Entry }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const entryName = t(entry === 1 ? 'paper.entry.first' : 'paper.entry.second');
  const run = async (file: File, dryRun: boolean, onProgress: (percent: number) => void): Promise<PaperImportOutcome> => {
    const answer = await importSheets(meetingId, { file, entry, dryRun, onProgress });
    if ('errors' in answer) return { ...answer, stored: 0 };
    await queryClient.invalidateQueries({ queryKey: paperKeys.all(meetingId) });
    return { applied: true, errors: [], sheets: answer.stored, new: 0, replaced: 0, stored: answer.stored };
  };
  const hint = t('paper.import.hint', {
    keys: form.items.map((item) => item.title).join('、'),
    reports: form.reports.map((r) => `${r.report_id} ${r.org_name}`).join('、'),
    groups: form.groups.map((g) => g.name).join('、'),
  });
  return (
    <ImportWizard<PaperImportOutcome>
      key={entry}
      run={run}
      hint={hint}
      checked={(result) => t('paper.import.checked', { sheets: result.sheets, new: result.new, replaced: result.replaced })}
      done={(result) => t('paper.import.done', { stored: result.stored, entry: entryName })}
      accept=".xlsx,.csv"
      testId="paper-import"
    />
  );
}
