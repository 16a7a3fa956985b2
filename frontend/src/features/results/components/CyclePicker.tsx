import { useQuery } from '@tanstack/react-query';
import { Select, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { CycleStage, CycleSummary } from '../../../api/types';
import { StageTag } from '../../../components/StageTag';
import { resultCyclesQuery } from '../api';

/** Cycles that can have results first (assessment and later), newest first. */
export function sortCycles(cycles: readonly CycleSummary[]): CycleSummary[] {
  const withResults = (cycle: CycleSummary) => (['assessment', 'rectification', 'closed'] as CycleStage[]).includes(cycle.stage);
  return [...cycles].sort(
    (a, b) => Number(withResults(b)) - Number(withResults(a)) || b.period_end.localeCompare(a.period_end) || b.id - a.id,
  );
}

/** A compact cycle switcher. */
export function CycleSelect({
  value,
  onChange,
  allowClear,
  placeholder,
}: {
  value?: number;
  onChange: (cycleId: number | undefined) => void;
  allowClear?: boolean;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const cycles = useQuery(resultCyclesQuery());
  return (
    <Select<number>
      style={{ minWidth: 240, maxWidth: '100%' }}
      value={value}
      onChange={(next) => onChange(next ?? undefined)}
      allowClear={allowClear}
      placeholder={placeholder ?? t('results.pickCycle')}
      loading={cycles.isPending}
      showSearch
      optionFilterProp="label"
      aria-label={t('results.cycle')}
      options={sortCycles(cycles.data?.items ?? []).map((cycle) => ({
        value: cycle.id,
        label: `${cycle.name} · ${cycle.host_org.name}`,
      }))}
      data-testid="cycle-select"
    />
  );
}

/** The cycles the user takes part in, each opening its results. */
export function CycleTable() {
  const { t } = useTranslation();
  const cycles = useQuery(resultCyclesQuery());
  return (
    <Table<CycleSummary>
      rowKey="id"
      loading={cycles.isPending}
      dataSource={sortCycles(cycles.data?.items ?? [])}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: cycles.isError ? t('errors.server') : t('results.noCycles') }}
      columns={[
        { title: t('results.cycle'), dataIndex: 'name', render: (name: string, cycle) => <Link to={`/cycles/${cycle.id}/results`}>{name}</Link> },
        { title: t('results.hostOrg'), key: 'host', render: (_, cycle) => cycle.host_org.name },
        { title: t('results.period'), key: 'period', render: (_, cycle) => `${cycle.period_start} ~ ${cycle.period_end}` },
        { title: t('results.stage'), dataIndex: 'stage', render: (stage: CycleStage) => <StageTag stage={stage} /> },
        {
          title: t('common.actions'),
          key: 'open',
          render: (_, cycle) => <Link to={`/cycles/${cycle.id}/results`}>{t('results.openResults')}</Link>,
        },
      ]}
      data-testid="result-cycles"
    />
  );
}
