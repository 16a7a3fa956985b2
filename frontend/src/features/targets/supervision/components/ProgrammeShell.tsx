import { Card, Empty, Skeleton, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { ProgrammeRead } from '../../../../api/types';
import { ErrorResult } from '../../../../components/ErrorResult';
import { ProgrammePicker } from '../../components/ProgrammePicker';
import { ProgrammeStatusTag } from '../../components/Tags';
import { useProgrammeChoice } from '../../useProgrammeChoice';

/** A menu page about one programme (月报, 督查, 通报): its title, the programme switcher (kept in the address), then the page. */
export function ProgrammeShell({ title, children }: { title: string; children: (programme: ProgrammeRead) => ReactNode }) {
  const { t } = useTranslation();
  const { programme, programmes, choose } = useProgrammeChoice();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        <Space wrap>
          <ProgrammePicker value={programme?.id} onChange={choose} />
          {programme && <ProgrammeStatusTag status={programme.status} />}
        </Space>
      </Space>
      {programmes.isError ? (
        <ErrorResult error={programmes.error} onRetry={() => void programmes.refetch()} />
      ) : programmes.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : !programme ? (
        <Card>
          <Empty description={t('targets.pipeline.noProgrammes')} />
        </Card>
      ) : (
        <Card>{children(programme)}</Card>
      )}
    </Space>
  );
}
