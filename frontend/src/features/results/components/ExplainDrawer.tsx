import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Collapse, Descriptions, Drawer, Empty, Skeleton, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { ExplainGroup, ExplainIndicator, ExplainRead } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { isWithheld, withheldText } from '../../../lib/withheld';
import { explainQuery } from '../api';
import { describeTierRule, explainSteps, formatShare, formulaName, isTier } from '../model';
import { TierTag } from './TierTag';

function GroupCard({ group }: { group: ExplainGroup }) {
  const { t } = useTranslation();
  const aggregation =
    group.aggregation === 'trimmed_mean'
      ? t('results.explain.trimmedMean', { trim: group.trim })
      : group.aggregation === 'mean'
        ? t('results.explain.mean')
        : group.aggregation;
  const withheld = isWithheld(group);
  return (
    <Card
      size="small"
      title={t('results.explain.groupTitle', { group: group.name, weight: group.weight })}
      extra={<Typography.Text type="secondary">{aggregation}</Typography.Text>}
      data-testid={`explain-group-${group.key}`}
    >
      {withheld ? (
        <Typography.Text type="secondary" data-testid={`explain-withheld-${group.key}`}>
          {t('results.explain.withheldLines', { count: group.ballot_count })}
        </Typography.Text>
      ) : group.ballots.length === 0 ? (
        <Typography.Text type="secondary">{t('results.explain.noBallots')}</Typography.Text>
      ) : (
        <Space size={[12, 6]} wrap data-testid={`explain-ballots-${group.key}`}>
          {group.ballots.map((ballot, index) => (
            <Tooltip
              key={ballot.ref || index}
              title={t(ballot.dropped ? 'results.explain.ballotDropped' : 'results.explain.ballotKept', {
                ref: ballot.ref || '—',
                tier: isTier(ballot.first_tier) ? t(`tiers.${ballot.first_tier}`) : '—',
              })}
            >
              <Typography.Text
                delete={ballot.dropped}
                type={ballot.dropped ? 'secondary' : undefined}
                style={{ fontVariantNumeric: 'tabular-nums' }}
                data-testid="explain-ballot"
                data-dropped={ballot.dropped ? 'true' : 'false'}
              >
                {ballot.total}
              </Typography.Text>
            </Tooltip>
          ))}
        </Space>
      )}
      <div style={{ marginTop: 8 }}>
        {withheld ? (
          <Typography.Text type="secondary">{withheldText(t, group)}</Typography.Text>
        ) : group.score === null ? (
          <Typography.Text type="secondary">{t('results.explain.leftOut')}</Typography.Text>
        ) : (
          <Typography.Text>
            {t('results.explain.groupScore', {
              kept: group.kept,
              total: group.ballot_count,
              score: group.score,
              weighted: group.weighted ?? '—',
            })}
          </Typography.Text>
        )}
      </div>
    </Card>
  );
}

function Indicators({ indicators }: { indicators: ExplainIndicator[] }) {
  const { t } = useTranslation();
  if (indicators.length === 0) return null;
  return (
    <Table<ExplainIndicator>
      rowKey="key"
      size="small"
      pagination={false}
      dataSource={indicators}
      data-testid="explain-indicators"
      columns={[
        { title: t('results.explain.indicator'), dataIndex: 'title', render: (title: string, indicator) => title || indicator.key },
        { title: t('results.explain.formula'), dataIndex: 'formula', render: (formula: string | null) => formulaName(t, formula) },
        { title: t('results.explain.maxPoints'), dataIndex: 'max_points', align: 'right' },
        {
          title: t('results.explain.points'),
          key: 'points',
          align: 'right',
          render: (_, indicator) => (indicator.missing ? <Tag color="gold">{t('results.explain.missing')}</Tag> : indicator.points),
        },
      ]}
    />
  );
}

/** Every figure of one report, from the ballots up: dropped totals struck through, then each step of the sum. */
export function ExplainContent({ explain }: { explain: ExplainRead }) {
  const { t } = useTranslation();
  const steps = explainSteps(t, explain);
  const vetoes = Object.entries(explain.vetoes);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="explain-content">
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label={t('results.explain.total')}>
          <Typography.Text strong data-testid="explain-total">
            {explain.total ?? '—'}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('results.explain.rank')}>{explain.rank ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('results.explain.ballotPart')}>{explain.ballot_part ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('results.explain.indicatorPoints')}>{explain.indicator_points}</Descriptions.Item>
        <Descriptions.Item label={t('results.explain.tier')}>
          <Space size={4} wrap>
            <TierTag tier={explain.tier} />
            {explain.flagged && <Tag color="red">{t('results.flags.flagged')}</Tag>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('results.explain.tierRule')}>
          {describeTierRule(t, explain.tier_rule, explain.poor_vote_share_limit, explain.item_titles)}
        </Descriptions.Item>
        <Descriptions.Item label={t('results.explain.poorShare')} span={2}>
          {explain.poor_share_withheld
            ? withheldText(t, { withheld: 'few_ballots', hidden_below: explain.min_ballots_shown })
            : t('results.explain.poorShareValue', {
                share: formatShare(explain.poor_share),
                limit: formatShare(explain.poor_vote_share_limit),
              })}
        </Descriptions.Item>
      </Descriptions>

      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('results.explain.groups')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('results.explain.ballotsHint')}</Typography.Text>
      {explain.groups.map((group) => (
        <GroupCard key={group.key} group={group} />
      ))}

      <Indicators indicators={explain.indicators} />

      {vetoes.length > 0 && (
        <Alert
          type="error"
          showIcon
          message={t('results.explain.vetoes')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {vetoes.map(([key, reason]) => (
                <li key={key}>
                  {explain.item_titles?.[key] ?? key}: {reason}
                </li>
              ))}
            </ul>
          }
          data-testid="explain-vetoes"
        />
      )}

      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('results.explain.steps')}
      </Typography.Title>
      <ol style={{ margin: 0, paddingInlineStart: 24 }} data-testid="explain-steps">
        {steps.map((step, index) => (
          <li key={index} style={{ marginBottom: 4 }}>
            {step}
          </li>
        ))}
      </ol>
      <Collapse
        size="small"
        items={[
          {
            key: 'server',
            label: t('results.explain.serverSteps'),
            children: (
              <ol style={{ margin: 0, paddingInlineStart: 24, fontFamily: 'monospace', fontSize: 12 }}>
                {explain.steps.map((step, index) => (
                  <li key={index}>{step}</li>
                ))}
                <li>{explain.ballot_part_rule}</li>
              </ol>
            ),
          },
        ]}
      />
    </Space>
  );
}

interface Props {
  cycleId: number;
  reportId: number | null;
  orgName?: string;
  onClose: () => void;
}

/** The explanation drawer: loads a report's explanation when opened. */
export function ExplainDrawer({ cycleId, reportId, orgName, onClose }: Props) {
  const { t } = useTranslation();
  const explain = useQuery({ ...explainQuery(cycleId, reportId ?? 0), enabled: reportId !== null });
  let body;
  if (reportId === null) body = null;
  else if (explain.isPending) body = <Skeleton active paragraph={{ rows: 8 }} />;
  else if (explain.isError) {
    const { title, detail } = describeError(t, explain.error);
    body = <Alert type="error" showIcon message={title} description={detail} />;
  } else if (explain.data) body = <ExplainContent explain={explain.data} />;
  else body = <Empty />;
  return (
    <Drawer
      open={reportId !== null}
      onClose={onClose}
      width={Math.min(720, typeof window === 'undefined' ? 720 : window.innerWidth)}
      title={t('results.explain.title', { org: explain.data?.org_name ?? orgName ?? '' })}
      destroyOnHidden
      data-testid="explain-drawer"
    >
      {body}
    </Drawer>
  );
}
