import { Card, Col, Row, Statistic, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { StatsFigures } from '../../../api/types';

const COUNTS = ['accepted', 'resolved', 'assigned_or_transferred', 'in_progress', 'overdue'] as const;

/** The measures of petition work, each a rate of two counts (numerator, denominator). */
export const MEASURES = [
  { key: 'timely_acceptance_rate', numerator: 'accepted_in_time', denominator: 'acceptance_due' },
  { key: 'on_time_completion_rate', numerator: 'handled_in_time', denominator: 'handling_due' },
  { key: 'satisfaction_rate', numerator: 'satisfied', denominator: 'rated' },
  { key: 'rating_rate', numerator: 'rated', denominator: 'closed' },
] as const;

export type Measure = (typeof MEASURES)[number];

export function formatRate(rate: string | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${(Number(rate) * 100).toFixed(1)}%`;
}

/** "5 / 7 件" for a measure's counts, or nothing when they are not known. */
export function measureFraction(figures: StatsFigures, measure: Measure, fraction: (n: number, d: number) => string): string {
  const numerator = figures[measure.numerator];
  const denominator = figures[measure.denominator];
  if (numerator === null || numerator === undefined || denominator === null || denominator === undefined) return '';
  return fraction(numerator, denominator);
}

/** The headline figures: the counts, the resolution rate, and the four measures of petition work. */
export function StatsTotals({ total }: { total: StatsFigures }) {
  const { t } = useTranslation();
  const fraction = (numerator: number, denominator: number) => t('petitionDesk.measures.fraction', { numerator, denominator });
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
      {MEASURES.map((measure) => (
        <Col xs={12} md={6} key={measure.key}>
          <Card size="small">
            <div data-testid={`stat-${measure.key}`}>
              <Tooltip title={t(`petitionDesk.measures.help.${measure.key}`)}>
                <Statistic title={t(`petitionDesk.measures.${measure.key}`)} value={formatRate(total[measure.key])} />
              </Tooltip>
              <Typography.Text type="secondary">{measureFraction(total, measure, fraction)}</Typography.Text>
            </div>
          </Card>
        </Col>
      ))}
    </Row>
  );
}
