import { DownloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Divider, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { ProgrammeRead } from '../../../../api/types';
import { ImportWizard } from '../../../../components/ImportWizard';
import { targetKeys } from '../../api';
import { downloadProjectsTemplate, downloadTargetsTemplate, importProjects, importTargets } from '../api';
import type { ProjectImportResult, TargetImportResult } from '../types';
import { useFail } from './BulletinActions';

const ACCEPT = '.xlsx,.csv';

/** Once applied, the programme's targets, projects and every figure built on them are read again. */
function useRefreshProgramme(programmeId: number) {
  const queryClient = useQueryClient();
  return <R extends { applied: boolean }>(result: R): R => {
    if (result.applied) void queryClient.invalidateQueries({ queryKey: targetKeys.programme(programmeId) });
    return result;
  };
}

/** The targets sheet (units × measures) through the import wizard: template, dry run with located errors, all or nothing. */
export function TargetsImport({ programme }: { programme: ProgrammeRead }) {
  const { t } = useTranslation();
  const fail = useFail();
  const refresh = useRefreshProgramme(programme.id);
  return (
    <ImportWizard<TargetImportResult>
      run={(file, dryRun, onProgress) => importTargets(programme.id, file, dryRun, onProgress).then(refresh)}
      hint={t('supervision.imports.targetsHint')}
      checked={(result) => t('supervision.imports.targetsChecked', { rows: result.rows, units: result.units, targets: result.targets })}
      done={(result) => t('supervision.imports.targetsDone', { units: result.units, targets: result.targets })}
      accept={ACCEPT}
      extra={
        <Button
          icon={<DownloadOutlined />}
          onClick={() => void downloadTargetsTemplate(programme.id, `${programme.name}-${t('supervision.imports.targetsFile')}`).catch(fail)}
          data-testid="targets-template"
        >
          {t('supervision.imports.targetsTemplate')}
        </Button>
      }
      testId="targets-import"
    />
  );
}

/** The month's project progress sheet (new leads, stage moves) through the import wizard; a secretary's rows are their units'. */
export function ProjectsImport({ programme }: { programme: ProgrammeRead }) {
  const { t } = useTranslation();
  const fail = useFail();
  const refresh = useRefreshProgramme(programme.id);
  return (
    <ImportWizard<ProjectImportResult>
      run={(file, dryRun, onProgress) => importProjects(programme.id, file, dryRun, onProgress).then(refresh)}
      hint={t('supervision.imports.projectsHint')}
      checked={(result) =>
        t('supervision.imports.projectsChecked', {
          rows: result.rows,
          created: result.created,
          updated: result.updated,
          moved: result.moved,
          unchanged: result.unchanged,
        })
      }
      done={(result) => t('supervision.imports.projectsDone', { created: result.created, updated: result.updated, moved: result.moved })}
      accept={ACCEPT}
      extra={
        <Button
          icon={<DownloadOutlined />}
          onClick={() => void downloadProjectsTemplate(programme.id, `${programme.name}-${t('supervision.imports.projectsFile')}`).catch(fail)}
          data-testid="projects-template"
        >
          {t('supervision.imports.projectsTemplate')}
        </Button>
      }
      testId="projects-import"
    />
  );
}

/** The programme page's 导入 tab: the targets sheet (its managers) and the month's project progress sheet. */
export function ImportPanels({ programme }: { programme: ProgrammeRead }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('supervision.imports.targets')}
      </Typography.Title>
      {programme.may_manage ? <TargetsImport programme={programme} /> : <Alert type="info" showIcon message={t('supervision.imports.managersOnly')} />}
      <Divider style={{ margin: 0 }} />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('supervision.imports.projects')}
      </Typography.Title>
      <ProjectsImport programme={programme} />
    </Space>
  );
}
