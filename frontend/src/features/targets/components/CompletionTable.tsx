import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from '@ant-design/icons';
import { Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

import type { CompletionRead, UnitCompletion } from '../../../api/types';
import { direction, percent, percentValue, plain } from '../logic';
import { LightTag } from './Tags';

/** A month-on-month change in words with an arrow: 上升 3.5 个百分点, 下降 …, 持平; a dash when there is none. */
export function ChangeText({ change }: { change: string | null | undefined }) {
  const { t } = useTranslation();
  const way = direction(change);
  if (way === null) return <span>—</span>;
  const points = percentValue(change?.replace('-', '') ?? null) ?? '';
  if (way === 'same') return <span><MinusOutlined aria-hidden /> {t('targets.completion.same')}</span>;
  return way === 'up' ? (
    <Typography.Text type="success"><ArrowUpOutlined aria-hidden /> {t('targets.completion.up', { points })}</Typography.Text>
  ) : (
    <Typography.Text type="danger"><ArrowDownOutlined aria-hidden /> {t('targets.completion.down', { points })}</Typography.Text>
  );
}

/** The veto fact in words: 一票否决 when no project has landed, else how many have. */
export function VetoMark({ unit }: { unit: Pick<UnitCompletion, 'no_project_landed' | 'landed_projects'> }) {
  const { t } = useTranslation();
  return unit.no_project_landed ? (
    <Tooltip title={t('targets.completion.vetoTitle')}>
      <Tag color="error" data-testid="veto-mark">{`${t('targets.completion.veto')}（${t('targets.completion.vetoMark')}）`}</Tag>
    </Tooltip>
  ) : (
    <Typography.Text type="secondary">{t('targets.completion.landed', { count: unit.landed_projects })}</Typography.Text>
  );
}

/** What a ranked row shows beside its measures: completion on a day and a bulletin's frozen units alike. */
export type RankedUnit = Pick<UnitCompletion, 'org' | 'rank' | 'weighted_completion' | 'light' | 'change' | 'no_project_landed' | 'landed_projects'>;

/**
 * Units in rank order: rank, unit, the measures' columns given, the weighted completion, the light in words, the
 * change and the veto mark. `testId` names the table (`<testId>-table`) and its rank and weighted cells.
 */
export function RankedUnitsTable<T extends RankedUnit>({
  units,
  measureColumns,
  testId,
}: {
  units: T[];
  measureColumns: ColumnsType<T>;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Table<T>
      rowKey={(unit) => unit.org.id}
      size="small"
      bordered
      pagination={false}
      dataSource={units}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('targets.completion.empty') }}
      data-testid={`${testId}-table`}
      onRow={(unit) => ({ 'data-unit': unit.org.name }) as HTMLAttributes<HTMLElement>}
      columns={[
        {
          key: 'rank',
          title: t('targets.completion.rank'),
          align: 'center',
          fixed: 'left',
          render: (_, unit) => <span data-testid={`${testId}-rank`}>{unit.rank ?? t('targets.completion.unranked')}</span>,
        },
        { key: 'unit', title: t('targets.completion.unit'), fixed: 'left', render: (_, unit) => unit.org.name },
        ...measureColumns,
        {
          key: 'weighted',
          title: t('targets.completion.weighted'),
          align: 'right',
          render: (_, unit) => <Typography.Text strong data-testid={`${testId}-weighted`}>{percent(unit.weighted_completion)}</Typography.Text>,
        },
        { key: 'light', title: t('targets.completion.light'), align: 'center', render: (_, unit) => <LightTag light={unit.light} /> },
        { key: 'change', title: t('targets.completion.change'), render: (_, unit) => <ChangeText change={unit.change} /> },
        { key: 'veto', title: t('targets.completion.veto'), render: (_, unit) => <VetoMark unit={unit} /> },
      ]}
    />
  );
}

/** Each unit's completion on the day, in rank order: per measure target, actual and rate, then the weighted rate. */
export function CompletionTable({ completion }: { completion: CompletionRead }) {
  const { t } = useTranslation();
  const measureColumns: ColumnsType<UnitCompletion> = completion.measures.map((measure, index) => ({
    key: measure.key,
    title: `${measure.name}（${measure.unit}）`,
    children: [
      {
        key: `${measure.key}-target`,
        title: t('targets.completion.target'),
        align: 'right' as const,
        render: (_: unknown, unit: UnitCompletion) => {
          const target = unit.measures[index]?.target;
          return target === null || target === undefined ? (
            <Typography.Text type="secondary">{t('targets.completion.noTarget')}</Typography.Text>
          ) : (
            plain(target)
          );
        },
      },
      {
        key: `${measure.key}-actual`,
        title: t('targets.completion.actual'),
        align: 'right' as const,
        render: (_: unknown, unit: UnitCompletion) => plain(unit.measures[index]?.actual),
      },
      {
        key: `${measure.key}-rate`,
        title: t('targets.completion.rate'),
        align: 'right' as const,
        render: (_: unknown, unit: UnitCompletion) => percent(unit.measures[index]?.completion),
      },
    ],
  }));

  return (
    <RankedUnitsTable<UnitCompletion> units={completion.units} measureColumns={measureColumns} testId="completion" />
  );
}
