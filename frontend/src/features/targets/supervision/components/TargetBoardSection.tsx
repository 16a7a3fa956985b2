import { useQuery } from '@tanstack/react-query';
import { Card, Grid, List, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { formatDateTime } from '../../../../lib/datetime';
import { ChangeText, VetoMark } from '../../components/CompletionTable';
import { LightTag } from '../../components/Tags';
import { percent } from '../../logic';
import { targetBoardQuery } from '../api';
import type { BulletinUnit, PublicBulletin } from '../types';
import { BulletinChart } from './BulletinChart';
import { BulletinFacts } from './BulletinFacts';

/** One unit's line on the board: rank, name, weighted completion, light in words, change and the veto — wrapping on a phone. */
function BoardUnit({ unit }: { unit: BulletinUnit }) {
  const { t } = useTranslation();
  return (
    <List.Item data-testid="target-board-unit" data-unit={unit.org.name}>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '4px 12px', width: '100%' }}>
        <Tag color={unit.rank !== null && unit.rank <= 3 ? 'gold' : 'default'} style={{ minWidth: 32, textAlign: 'center', marginInlineEnd: 0 }}>
          {unit.rank ?? t('targets.completion.unranked')}
        </Tag>
        <Typography.Text strong style={{ flex: '1 1 140px', minWidth: 0 }}>
          {unit.org.name}
        </Typography.Text>
        <Typography.Text strong style={{ fontSize: 18 }} aria-label={`${unit.org.name}${t('targets.completion.weighted')}`}>
          {percent(unit.weighted_completion)}
        </Typography.Text>
        <LightTag light={unit.light} />
        <ChangeText change={unit.change} />
        {unit.no_project_landed && <VetoMark unit={unit} />}
      </div>
    </List.Item>
  );
}

function BoardBulletin({ bulletin }: { bulletin: PublicBulletin }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="target-board-bulletin">
          {t('supervision.board.latest', { title: bulletin.title, number: bulletin.number, day: bulletin.as_of })}
        </Typography.Title>
        <Typography.Text type="secondary">
          {`${bulletin.organ} ${bulletin.doc_number} · ${t('supervision.board.publishedAt', { at: formatDateTime(bulletin.published_at) })}`}
        </Typography.Text>
      </div>
      <BulletinFacts content={bulletin} />
      <BulletinChart content={bulletin} horizontal={!screens.md} testId="target-board-chart" />
      <List size="small" bordered dataSource={bulletin.units} rowKey={(unit) => unit.org.id} renderItem={(unit) => <BoardUnit unit={unit} />} data-testid="target-board-list" />
    </Space>
  );
}

/**
 * The public board's 图板展示 of target programmes: the latest published bulletin (of the programme chosen), ranked
 * with lights and a chart; nothing at all while no bulletin is published.
 */
export function TargetBoardSection() {
  const { t } = useTranslation();
  const [programmeId, setProgrammeId] = useState<number | undefined>(undefined);
  const board = useQuery(targetBoardQuery(programmeId));
  if (!board.data?.bulletin) return null;
  const { programmes, bulletin } = board.data;
  return (
    <Card
      style={{ marginTop: 24 }}
      data-testid="target-board"
      title={
        <Typography.Title level={3} style={{ margin: 0, whiteSpace: 'normal' }}>
          {t('supervision.board.title')}
        </Typography.Title>
      }
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {programmes.length > 1 && (
          <Select<number>
            value={bulletin.programme.id}
            onChange={setProgrammeId}
            aria-label={t('supervision.board.programme')}
            style={{ width: 'min(420px, 100%)' }}
            options={programmes.map((programme) => ({ value: programme.id, label: programme.name }))}
          />
        )}
        <BoardBulletin bulletin={bulletin} />
      </Space>
    </Card>
  );
}
