import { Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';

import { RankedUnitsTable } from '../../components/CompletionTable';
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
  return <RankedUnitsTable<BulletinUnit> units={content.units} measureColumns={measureColumns} testId="bulletin" />;
}
