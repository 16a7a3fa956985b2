import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Input, Row, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ROLES, type Role, type UserQuery, type UserRead } from '../api/types';
import { OrgSelect } from '../features/orgs/components/OrgSelect';
import { UserFormModal } from '../features/users/components/UserFormModal';
import { UserTable } from '../features/users/components/UserTable';

const PAGE_SIZE = 20;

export default function UsersPage() {
  const { t } = useTranslation();
  const [query, setQuery] = useState<UserQuery>({ limit: PAGE_SIZE, offset: 0 });
  const [editing, setEditing] = useState<UserRead | 'new' | null>(null);

  // Any filter change starts again at the first page.
  const filter = (patch: Partial<UserQuery>) => setQuery((current) => ({ ...current, ...patch, offset: 0 }));

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Row justify="space-between" align="middle">
        <Col>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('users.title')}
          </Typography.Title>
        </Col>
        <Col>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('users.create')}
          </Button>
        </Col>
      </Row>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('users.searchPlaceholder')}
            aria-label={t('users.searchPlaceholder')}
            onSearch={(value) => filter({ q: value.trim() || undefined })}
            style={{ width: 260 }}
          />
          <Select<Role>
            allowClear
            placeholder={t('users.filterRole')}
            aria-label={t('users.filterRole')}
            style={{ width: 160 }}
            options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            onChange={(role) => filter({ role: role ?? undefined })}
          />
          <OrgSelect
            placeholder={t('users.filterOrg')}
            aria-label={t('users.filterOrg')}
            value={query.org_id ?? null}
            onChange={(orgId) => filter({ org_id: orgId ?? undefined })}
            style={{ width: 240 }}
          />
          <Space size={4}>
            <Switch
              size="small"
              id="user-include-inactive"
              checked={query.include_inactive ?? false}
              onChange={(checked) => filter({ include_inactive: checked })}
            />
            <label htmlFor="user-include-inactive">{t('common.showInactive')}</label>
          </Space>
        </Space>
        <UserTable
          query={query}
          onPageChange={(offset, limit) => setQuery((current) => ({ ...current, offset, limit }))}
          onEdit={setEditing}
        />
      </Card>
      {editing && (
        <UserFormModal user={editing === 'new' ? null : editing} orgSelect={<OrgSelect />} onClose={() => setEditing(null)} />
      )}
    </Space>
  );
}
