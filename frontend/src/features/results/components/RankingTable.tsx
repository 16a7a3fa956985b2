import { Button, Space, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import type { GroupResult, ResultItem } from '../../../api/types';
import { TIERS } from '../../../api/types';
import { isWithheld, withheldText } from '../../../lib/withheld';
import type { ItemTitles } from '../model';
import { formatShare, resultGroups } from '../model';
import { FlagTags } from './FlagTags';
import { TierTag } from './TierTag';

interface Props {
  items: ResultItem[];
  maxTotal: string;
  loading?: boolean;
  /** Open a report's explanation (staff only: the API explains to those who manage the cycle). */
  onExplain?: (item: ResultItem) => void;
  /** Open an organisation's results across cycles. */
  onHistory?: (item: ResultItem) => void;
  /** The viewer's own organisation, marked in the table. */
  ownOrgId?: number | null;
  /** Rubric items and vetoes by key → title, to name them in the flags. */
  titles?: ItemTitles;
}

function TierCountsText({ group }: { group: GroupResult }) {
  const { t } = useTranslation();
  const counts = group.tier_counts;
  if (!counts) return <Withheld text={t('withheld.short')} />;
  return <span>{TIERS.map((tier) => t('results.table.tierCount', { tier: t(`tiers.${tier}`), count: counts[tier] })).join(' · ')}</span>;
}

/** A figure withheld because too few ballots stand behind it, said in its place. */
function Withheld({ text }: { text: string }) {
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="withheld">
      {text}
    </Typography.Text>
  );
}

/** Per group of one report: ballots against quorum, dropped, score and weight, approval rate and tier counts. */
function GroupDetail({ item }: { item: ResultItem }) {
  const { t } = useTranslation();
  if (item.groups.length === 0) return <Typography.Text type="secondary">{t('results.table.noGroupDetail')}</Typography.Text>;
  return (
    <Table<GroupResult>
      rowKey="key"
      size="small"
      pagination={false}
      dataSource={item.groups}
      data-testid={`group-detail-${item.report_id}`}
      columns={[
        { title: t('results.groups.group'), dataIndex: 'name' },
        { title: t('results.groups.weight'), dataIndex: 'weight', align: 'right' },
        {
          title: t('results.groups.ballots'),
          key: 'ballots',
          align: 'right',
          render: (_, group) => (
            <Typography.Text type={group.quorum_ok ? undefined : 'danger'}>
              {t('results.groups.ballotsOfQuorum', { ballots: group.ballots, quorum: group.quorum })}
            </Typography.Text>
          ),
        },
        { title: t('results.groups.dropped'), dataIndex: 'dropped', align: 'right' },
        {
          title: t('results.groups.score'),
          key: 'score',
          align: 'right',
          render: (_, group) => (isWithheld(group) ? <Withheld text={withheldText(t, group)} /> : (group.score ?? '—')),
        },
        {
          title: t('results.groups.approval'),
          key: 'approval',
          align: 'right',
          render: (_, group) => (isWithheld(group) ? <Withheld text={t('withheld.short')} /> : formatShare(group.approval_rate)),
        },
        { title: t('results.groups.tierCounts'), key: 'counts', render: (_, group) => <TierCountsText group={group} /> },
      ]}
    />
  );
}

/** The ranking: rank, total and its parts, every group's score, the tier in its colour and the flags. */
export function RankingTable({ items, maxTotal, loading, onExplain, onHistory, ownOrgId, titles }: Props) {
  const { t } = useTranslation();
  const groups = useMemo(() => resultGroups(items), [items]);
  const hasActions = Boolean(onExplain || onHistory);

  const columns: TableColumnsType<ResultItem> = [
    {
      title: t('results.table.rank'),
      dataIndex: 'rank',
      width: 64,
      align: 'center',
      render: (rank: number | null) => <Typography.Text strong>{rank ?? '—'}</Typography.Text>,
    },
    {
      title: t('results.table.org'),
      key: 'org',
      render: (_, item) => (
        <Space direction="vertical" size={0}>
          <span>
            {item.org_name}
            {ownOrgId === item.org_id && <Typography.Text type="secondary">{t('results.table.own')}</Typography.Text>}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {item.org_code}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('results.table.total', { max: maxTotal }),
      dataIndex: 'total',
      align: 'right',
      render: (total: string | null) => <Typography.Text strong>{total ?? '—'}</Typography.Text>,
    },
    {
      title: t('results.table.ballotPart'),
      dataIndex: 'ballot_part',
      align: 'right',
      responsive: ['md'],
      render: (value: string | null) => value ?? '—',
    },
    {
      title: t('results.table.indicatorPoints'),
      dataIndex: 'indicator_points',
      align: 'right',
      responsive: ['md'],
    },
    ...groups.map((group) => ({
      title: group.name,
      key: `group-${group.key}`,
      align: 'right' as const,
      responsive: ['lg' as const],
      render: (_: unknown, item: ResultItem) => {
        const result = item.groups.find((g) => g.key === group.key);
        if (!result) return '—';
        if (isWithheld(result)) {
          return (
            <Tooltip title={t('results.table.groupHint', { ballots: result.ballots, dropped: result.dropped, approval: t('withheld.short') })}>
              <span>
                <Withheld text={withheldText(t, result)} />
              </span>
            </Tooltip>
          );
        }
        return (
          <Tooltip
            title={t('results.table.groupHint', {
              ballots: result.ballots,
              dropped: result.dropped,
              approval: formatShare(result.approval_rate),
            })}
          >
            <span>{result.score ?? '—'}</span>
          </Tooltip>
        );
      },
    })),
    { title: t('results.table.tier'), dataIndex: 'tier', align: 'center', render: (tier: string | null) => <TierTag tier={tier} /> },
    { title: t('results.table.flags'), key: 'flags', render: (_, item) => <FlagTags item={item} titles={titles} /> },
  ];
  if (hasActions) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      className: 'results-no-print',
      render: (_, item) => (
        <Space direction="vertical" size={0}>
          {onExplain && (
            <Button type="link" size="small" onClick={() => onExplain(item)} data-testid={`explain-${item.report_id}`}>
              {t('results.table.explain')}
            </Button>
          )}
          {onHistory && (ownOrgId === undefined || ownOrgId === item.org_id) && (
            <Button type="link" size="small" onClick={() => onHistory(item)}>
              {t('results.table.history')}
            </Button>
          )}
        </Space>
      ),
    });
  }

  return (
    <Table<ResultItem>
      rowKey="report_id"
      size="middle"
      loading={loading}
      dataSource={items}
      columns={columns}
      pagination={items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      expandable={{
        expandedRowRender: (item) => <GroupDetail item={item} />,
        rowExpandable: (item) => item.groups.length > 0,
      }}
      onRow={(item) => (item.flagged ? { style: { background: '#fff1f0' } } : {})}
      locale={{ emptyText: t('results.table.empty') }}
      // A minimum width, not max-content: at 1366 px the columns share the page (flags wrap) and nothing slides
      // under the fixed 操作 column; narrower screens scroll the table inside itself.
      scroll={{ x: 960 }}
      data-testid="ranking-table"
    />
  );
}
