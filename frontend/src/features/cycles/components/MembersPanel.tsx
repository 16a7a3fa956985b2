import { UserAddOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Empty, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { GroupRead, MemberRead } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { describeError } from '../../../lib/errors';
import { candidatesQuery, membersQuery, useAddMembers, useRemoveMember } from '../api';

interface AssignProps {
  cycleId: number;
  group: GroupRead;
  /** Every group of the cycle, to name the one a candidate is already in. */
  groups: GroupRead[];
}

function Assign({ cycleId, group, groups }: AssignProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const [picked, setPicked] = useState<number[]>([]);
  const candidates = useQuery(candidatesQuery(cycleId, q, null));
  const add = useAddMembers();

  const submit = () =>
    add.mutate(
      { id: cycleId, key: group.key, userIds: picked },
      {
        onSuccess: () => {
          void message.success(t('members.added', { count: picked.length }));
          setPicked([]);
        },
        onError: (error) => {
          const { title, detail } = describeError(t, error);
          void message.error(detail ? `${title}: ${detail}` : title);
        },
      },
    );

  return (
    <Space.Compact style={{ width: '100%', maxWidth: 640 }}>
      <Select<number[]>
        mode="multiple"
        showSearch
        filterOption={false}
        onSearch={setSearch}
        value={picked}
        onChange={setPicked}
        placeholder={t('members.pick')}
        aria-label={t('members.pick')}
        loading={candidates.isFetching}
        style={{ width: '100%' }}
        options={(candidates.data ?? []).map((c) => ({
          value: c.user_id,
          disabled: c.group_key !== null,
          label: `${c.full_name}（${c.username}，${t(`roles.${c.role}`)}）${c.group_key ? ` · ${groups.find((g) => g.key === c.group_key)?.name ?? c.group_key}` : ''}`,
        }))}
        data-testid={`assign-${group.key}`}
      />
      <Button type="primary" icon={<UserAddOutlined />} disabled={picked.length === 0} loading={add.isPending} onClick={submit}>
        {t('members.assign')}
      </Button>
    </Space.Compact>
  );
}

interface MembersPanelProps {
  cycleId: number;
  groups: GroupRead[];
  editable: boolean;
}

/** The named evaluators of each group, with assignment and removal for the host. */
export function MembersPanel({ cycleId, groups, editable }: MembersPanelProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const members = useQuery(membersQuery(cycleId));
  const remove = useRemoveMember();
  if (members.isError) return <ErrorResult error={members.error} onRetry={() => void members.refetch()} />;
  if (groups.length === 0) return <Empty description={t('members.noGroups')} />;

  const columns = (group: GroupRead): TableColumnsType<MemberRead> => [
    { title: t('users.username'), dataIndex: 'username' },
    { title: t('users.fullName'), dataIndex: 'full_name' },
    { title: t('users.role'), dataIndex: 'role', render: (role: MemberRead['role']) => t(`roles.${role}`) },
    { title: t('users.org'), dataIndex: 'org_name' },
    ...(editable
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, m: MemberRead) => (
              <Popconfirm
                title={t('members.confirmRemove', { name: m.full_name })}
                okText={t('common.ok')}
                cancelText={t('common.cancel')}
                onConfirm={() =>
                  remove.mutate(
                    { id: cycleId, key: group.key, userId: m.user_id },
                    {
                      onError: (error) => {
                        const { title, detail } = describeError(t, error);
                        void message.error(detail ? `${title}: ${detail}` : title);
                      },
                    },
                  )
                }
              >
                <Button size="small" danger>
                  {t('members.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <Tabs
      items={groups.map((group) => {
        const rows = (members.data ?? []).filter((m) => m.group_key === group.key);
        return {
          key: group.key,
          label: (
            <Space size={4}>
              {group.name}
              <Tag>{group.expected ? `${rows.length}/${group.expected}` : rows.length}</Tag>
            </Space>
          ),
          children: (
            <Space direction="vertical" style={{ width: '100%' }}>
              {group.anonymous && <Typography.Text type="secondary">{t('members.anonymousHint')}</Typography.Text>}
              {editable && <Assign cycleId={cycleId} group={group} groups={groups} />}
              <Table<MemberRead>
                rowKey="user_id"
                size="small"
                loading={members.isPending}
                columns={columns(group)}
                dataSource={rows}
                pagination={rows.length > 50 ? { pageSize: 50 } : false}
              />
            </Space>
          ),
        };
      })}
    />
  );
}
