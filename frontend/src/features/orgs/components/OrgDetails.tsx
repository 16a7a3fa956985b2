import { EditOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Popconfirm, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { OrgRead } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { orgDetailQuery, useUpdateOrg } from '../api';
import { InactiveTag, KindTag } from './KindTag';

interface OrgDetailsProps {
  org: OrgRead;
  canEdit?: boolean;
  onEdit?: (org: OrgRead) => void;
  onCreateChild?: (parent: OrgRead) => void;
}

/** One organisation's facts, and for admins the actions on it (deactivation instead of deletion). */
export function OrgDetails({ org: initial, canEdit = false, onEdit, onCreateChild }: OrgDetailsProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const detail = useQuery({ ...orgDetailQuery(initial.id), initialData: initial, staleTime: 30_000 });
  const org = detail.data;
  const parent = useQuery({ ...orgDetailQuery(org.parent_id ?? 0), enabled: org.parent_id !== null });
  const update = useUpdateOrg();

  const toggleActive = () => {
    update.mutate(
      { id: org.id, body: { is_active: !org.is_active } },
      {
        onSuccess: (saved) => void message.success(saved.is_active ? t('common.activated') : t('common.deactivated')),
        onError: (error) => {
          const { title, detail: text } = describeError(t, error);
          void message.error(text ? `${title}: ${text}` : title);
        },
      },
    );
  };

  return (
    <Card
      title={
        <Space>
          <Typography.Text strong>{org.name}</Typography.Text>
          <KindTag kind={org.kind} />
          {!org.is_active && <InactiveTag />}
        </Space>
      }
      extra={
        canEdit && (
          <Space wrap>
            <Button icon={<EditOutlined />} onClick={() => onEdit?.(org)}>
              {t('common.edit')}
            </Button>
            {org.kind !== 'village' && org.is_active && (
              <Button icon={<PlusOutlined />} onClick={() => onCreateChild?.(org)}>
                {t('orgs.createChild')}
              </Button>
            )}
            <Popconfirm
              title={t(org.is_active ? 'common.confirmDeactivate' : 'common.confirmActivate', { name: org.name })}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={toggleActive}
            >
              <Button
                danger={org.is_active}
                icon={org.is_active ? <StopOutlined /> : <CheckCircleOutlined />}
                loading={update.isPending}
              >
                {org.is_active ? t('common.deactivate') : t('common.activate')}
              </Button>
            </Popconfirm>
          </Space>
        )
      }
      data-testid="org-details"
    >
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('orgs.name')}>{org.name}</Descriptions.Item>
        <Descriptions.Item label={t('orgs.code')}>{org.code}</Descriptions.Item>
        <Descriptions.Item label={t('orgs.kind')}>
          <KindTag kind={org.kind} />
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.parent')}>
          {org.parent_id === null ? t('common.none') : (parent.data?.name ?? '…')}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.childrenCount')}>{org.children_count}</Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          {org.is_active ? t('common.active') : t('common.inactive')}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
