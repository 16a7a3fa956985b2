import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';

import type { StatsFigures } from '../../../api/types';

const COUNTS = ['accepted', 'resolved', 'assigned_or_transferred', 'in_progress', 'overdue'] as const;

export function formatRate(rate: string | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${(Number(rate) * 100).toFixed(1)}%`;
}

/** The headline figures: accepted, resolved, assigned or transferred, in progress, overdue, resolution rate. */
export function StatsTotals({ total }: { total: StatsFigures }) {
  const { t } = useTranslation();
  return (
    <Row gutter={[16, 16]} data-testid="stats-totals">
      {COUNTS.map((key) => (
        <Col xs={12} md={8} xl={4} key={key}>
          <Card size="small">
            <div data-testid={`stat-${key}`}>
              <Statistic
                title={t(`petitions.stats.${key}`)}
                value={total[key]}
                valueStyle={key === 'overdue' && total.overdue > 0 ? { color: '#cf1322' } : undefined}
              />
            </div>
          </Card>
        </Col>
      ))}
      <Col xs={12} md={8} xl={4}>
        <Card size="small">
          <div data-testid="stat-resolution_rate">
            <Statistic title={t('petitions.stats.resolution_rate')} value={formatRate(total.resolution_rate)} />
          </div>
        </Card>
      </Col>
    </Row>
  );
}
