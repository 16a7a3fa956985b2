import { useQuery } from '@tanstack/react-query';
import { App, Button, Popconfirm, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';

import type { UserQuery, UserRead } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { formatDateTime } from '../../../lib/datetime';
import { describeError } from '../../../lib/errors';
import { userListQuery, useUpdateUser } from '../api';
import { RoleTag } from './RoleTag';

interface UserTableProps {
  query: UserQuery;
  onPageChange: (offset: number, limit: number) => void;
  onEdit: (user: UserRead) => void;
}

/** A page of users with edit and (de)activate actions. */
export function UserTable({ query, onPageChange, onEdit }: UserTableProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const users = useQuery(userListQuery(query));
  const update = useUpdateUser();
  const limit = query.limit ?? 20;
  const offset = query.offset ?? 0;

  if (users.isError) return <ErrorResult error={users.error} onRetry={() => void users.refetch()} />;

  const toggleActive = (user: UserRead) =>
    update.mutate(
      { id: user.id, body: { is_active: !user.is_active } },
      {
        onSuccess: (saved) => void message.success(saved.is_active ? t('common.activated') : t('common.deactivated')),
        onError: (error) => {
          const { title, detail } = describeError(t, error);
          void message.error(detail ? `${title}: ${detail}` : title);
        },
      },
    );

  const columns: TableColumnsType<UserRead> = [
    { title: t('users.username'), dataIndex: 'username' },
    { title: t('users.fullName'), dataIndex: 'full_name' },
    { title: t('users.role'), dataIndex: 'role', render: (_, user) => <RoleTag role={user.role} /> },
    { title: t('users.org'), dataIndex: 'org_name' },
    {
      title: t('common.status'),
      dataIndex: 'is_active',
      render: (active: boolean) =>
        active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
    },
    { title: t('users.createdAt'), dataIndex: 'created_at', render: (at: string) => formatDateTime(at) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, user) => (
        <Space>
          <Button size="small" onClick={() => onEdit(user)}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t(user.is_active ? 'common.confirmDeactivate' : 'common.confirmActivate', { name: user.full_name })}
            okText={t('common.ok')}
            cancelText={t('common.cancel')}
            onConfirm={() => toggleActive(user)}
          >
            <Button size="small" danger={user.is_active}>
              {user.is_active ? t('common.deactivate') : t('common.activate')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <Table<UserRead>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={users.data?.items}
      loading={users.isFetching}
      scroll={{ x: 'max-content' }}
      pagination={{
        current: Math.floor(offset / limit) + 1,
        pageSize: limit,
        total: users.data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (total) => t('common.total', { count: total }),
        onChange: (page, pageSize) => onPageChange((page - 1) * pageSize, pageSize),
      }}
      data-testid="user-table"
    />
  );
}
