import { Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

import { ChangeText, VetoMark } from '../../components/CompletionTable';
import { LightTag } from '../../components/Tags';
import { percent, plain } from '../../logic';
import type { BulletinContentLike, BulletinUnit } from '../types';

/**
 * A bulletin's ranked table: rank, unit, each measure's completion (its actual against its target beneath), the
 * weighted completion, the light in words, the change on the previous bulletin and the veto mark.
 */
export function BulletinTable({ content }: { content: BulletinContentLike }) {
  const { t } = useTranslation();
  const measureColumns: ColumnsType<BulletinUnit> = content.measures.map((measure, index) => ({
    key: measure.key,
    // Name over unit, so five measures and the rest fit a 1366 px screen.
    title: (
      <>
        {measure.name}
        <br />
        {`（${measure.unit}）`}
      </>
    ),
    align: 'right' as const,
    render: (_: unknown, unit: BulletinUnit) => {
      const figure = unit.measures[index];
      if (!figure || figure.target === null) {
        return <Typography.Text type="secondary">{t('targets.completion.noTarget')}</Typography.Text>;
      }
      return (
        <span data-testid="bulletin-measure">
          {percent(figure.completion)}
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{`${plain(figure.actual)} / ${plain(figure.target)}`}</Typography.Text>
        </span>
      );
    },
  }));
  return (
    <Table<BulletinUnit>
      rowKey={(unit) => unit.org.id}
      size="small"
      bordered
      pagination={false}
      dataSource={content.units}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('targets.completion.empty') }}
      data-testid="bulletin-table"
      onRow={(unit) => ({ 'data-unit': unit.org.name }) as HTMLAttributes<HTMLElement>}
      columns={[
        {
          key: 'rank',
          title: t('targets.completion.rank'),
          align: 'center',
          fixed: 'left',
          render: (_, unit) => <span data-testid="bulletin-rank">{unit.rank ?? t('targets.completion.unranked')}</span>,
        },
        { key: 'unit', title: t('targets.completion.unit'), fixed: 'left', render: (_, unit) => unit.org.name },
        ...measureColumns,
        {
          key: 'weighted',
          title: t('targets.completion.weighted'),
          align: 'right',
          render: (_, unit) => <Typography.Text strong data-testid="bulletin-weighted">{percent(unit.weighted_completion)}</Typography.Text>,
        },
        { key: 'light', title: t('targets.completion.light'), align: 'center', render: (_, unit) => <LightTag light={unit.light} /> },
        { key: 'change', title: t('targets.completion.change'), render: (_, unit) => <ChangeText change={unit.change} /> },
        { key: 'veto', title: t('targets.completion.veto'), render: (_, unit) => <VetoMark unit={unit} /> },
      ]}
    />
  );
}
