import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, List, Popconfirm, Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { ResponseData } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { duplicatesQuery, useMergeInto } from '../api';
import { StatusTag } from './StatusTag';

export type DuplicateGroup = ResponseData<'/api/v1/ledger/duplicates', 'get'>['groups'][number];

/** The confirmation of one group's merge: which items fold into which, by number. */
export function mergeSentence(t: TFunction, group: DuplicateGroup): string {
  const target = group.items.find((item) => item.id === group.target_id) ?? group.items[0];
  const sources = group.items.filter((item) => item.id !== target.id).map((item) => `#${item.id}`);
  return t('batch.duplicates.confirm', { sources: sources.join('、'), target: target.id, title: target.title });
}

function GroupCard({ group }: { group: DuplicateGroup }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const merge = useMergeInto();
  const others = group.items.filter((item) => item.id !== group.target_id).map((item) => item.id);
  const run = () =>
    merge.mutateAsync({ target: group.target_id, itemIds: others }).then(
      () => void message.success(t('batch.duplicates.merged', { id: group.target_id })),
      (cause: unknown) => {
        const { title, detail } = describeError(t, cause);
        void message.error(detail ? `${title}: ${detail}` : title);
      },
    );
  return (
    <Card
      size="small"
      title={
        <Space wrap size={4}>
          <Typography.Text strong>{group.org.name}</Typography.Text>
          <Tag>{t('batch.duplicates.similarity', { value: `${Math.round(Number(group.similarity) * 100)}%` })}</Tag>
        </Space>
      }
      extra={
        <Popconfirm
          title={mergeSentence(t, group)}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          onConfirm={run}
          overlayStyle={{ maxWidth: 360 }}
        >
          <Button type="primary" size="small" loading={merge.isPending} data-testid={`duplicate-merge-${group.target_id}`}>
            {t('batch.duplicates.merge')}
          </Button>
        </Popconfirm>
      }
      data-testid={`duplicate-group-${group.org.code}`}
      styles={{ header: { flexWrap: 'wrap' } }}
    >
      <List
        size="small"
        dataSource={group.items}
        renderItem={(item) => (
          <List.Item style={{ flexWrap: 'wrap', gap: 4 }}>
            <Space wrap size={4} style={{ wordBreak: 'break-word' }}>
              <Link to={`/ledger/items/${item.id}`}>
                #{item.id} {item.title}
              </Link>
              <StatusTag status={item.status} />
              <Typography.Text type="secondary">{t('batch.ledger.opinions', { count: item.opinion_count })}</Typography.Text>
              {item.id === group.target_id && <Tag color="blue">{t('batch.duplicates.keep')}</Tag>}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** 疑似重复事项: the cycle's items of one unit that say nearly the same, each group merged with one click. */
export function DuplicatesPanel({ cycleId }: { cycleId: number }) {
  const { t } = useTranslation();
  const duplicates = useQuery(duplicatesQuery(cycleId));
  return (
    <Card title={t('batch.duplicates.title')} size="small" data-testid="ledger-duplicates" style={{ marginBottom: 16 }}>
      {duplicates.isError && <Alert type="error" showIcon message={describeError(t, duplicates.error).title} />}
      {duplicates.data && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {t('batch.duplicates.hint', { threshold: `${Math.round(Number(duplicates.data.threshold) * 100)}%` })}
          </Typography.Text>
          {duplicates.data.groups.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('batch.duplicates.none')} />
          ) : (
            duplicates.data.groups.map((group) => <GroupCard key={group.target_id} group={group} />)
          )}
        </Space>
      )}
    </Card>
  );
}
