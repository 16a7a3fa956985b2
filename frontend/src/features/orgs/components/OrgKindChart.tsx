import { Card, Empty, Skeleton } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorResult } from '../../../components/ErrorResult';
import { useOrgKindCounts } from '../api';

// ECharts is the heaviest dependency; it loads only when a chart is on screen.
const BarChart = lazy(() => import('../../../components/charts/BarChart'));

/** Organisations per kind, from the API's page totals. */
export function OrgKindChart() {
  const { t } = useTranslation();
  const { counts, isPending, error, refetch } = useOrgKindCounts();
  const categories = useMemo(() => counts.map(({ kind }) => t(`orgKinds.${kind}`)), [counts, t]);
  const values = useMemo(() => counts.map(({ count }) => count), [counts]);

  let body;
  if (error) body = <ErrorResult error={error} onRetry={refetch} />;
  else if (isPending) body = <Skeleton active />;
  else if (values.every((value) => value === 0)) body = <Empty description={t('home.chartEmpty')} />;
  else
    body = (
      <Suspense fallback={<Skeleton active />}>
        <BarChart categories={categories} values={values} seriesName={t('home.chartSeries')} />
      </Suspense>
    );

  return (
    <Card title={t('home.chartTitle')} data-testid="org-kind-chart">
      {body}
    </Card>
  );
}
