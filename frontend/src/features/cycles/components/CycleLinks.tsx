import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { CycleStage, CycleSummary } from '../../../api/types';
import { StageTag } from '../../../components/StageTag';
import { useCycles } from '../api';

export interface CycleLinksProps {
  /** Where the action column leads, e.g. the cycle's results or meetings. */
  to: (cycle: CycleSummary) => string;
  /** The action column's link text. */
  action: string;
  /** Where the cycle's name leads (the cycle's own page unless given). */
  nameTo?: (cycle: CycleSummary) => string;
  /** Stages listed first. */
  prefer?: readonly CycleStage[];
  emptyText: string;
  testId: string;
}

/** Every cycle the user takes part in, one row each, opening a page of the cycle (no paging: a county has few). */
export function CycleLinks({ to, action, nameTo = (cycle) => `/cycles/${cycle.id}`, prefer, emptyText, testId }: CycleLinksProps) {
  const { t } = useTranslation();
  const cycles = useCycles(prefer);
  return (
    <Table<CycleSummary>
      rowKey="id"
      loading={cycles.isPending}
      dataSource={cycles.data ?? []}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: cycles.isError ? t('errors.server') : emptyText }}
      columns={[
        { title: t('cycles.picker.label'), dataIndex: 'name', render: (name: string, cycle) => <Link to={nameTo(cycle)}>{name}</Link> },
        { title: t('cycles.host'), key: 'host', render: (_, cycle) => cycle.host_org.name },
        { title: t('cycles.period'), key: 'period', render: (_, cycle) => `${cycle.period_start} ~ ${cycle.period_end}` },
        { title: t('cycles.stage'), dataIndex: 'stage', render: (stage: CycleStage) => <StageTag stage={stage} /> },
        { title: t('common.actions'), key: 'open', render: (_, cycle) => <Link to={to(cycle)}>{action}</Link> },
      ]}
      data-testid={testId}
    />
  );
}
