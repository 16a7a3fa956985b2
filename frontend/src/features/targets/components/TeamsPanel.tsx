import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { TeamRead } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { describeError } from '../../../lib/errors';
import { formErrorText } from '../../../lib/forms';
import { teamsQuery, useDeleteTeam, useSaveTeam } from '../api';
import type { Unit } from './TargetGrid';

interface Values {
  name: string;
  leader_name: string;
  industries: string[];
  member_org_ids: number[];
}

function TeamFormModal({ programmeId, team, units, onClose }: { programmeId: number; team: TeamRead | null; units: readonly Unit[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveTeam(programmeId);
  const [generalError, setGeneralError] = useState<string | null>(null);
  const options = [...units, ...(team?.members ?? []).filter((m) => !units.some((u) => u.id === m.id))].map((unit) => ({
    value: unit.id,
    label: unit.name,
  }));

  const submit = (values: Values) => {
    setGeneralError(null);
    save.mutate(
      {
        id: team?.id ?? null,
        body: {
          name: values.name.trim(),
          leader_name: values.leader_name.trim(),
          industries: values.industries.map((industry) => industry.trim()).filter(Boolean),
          member_org_ids: values.member_org_ids,
        },
      },
      {
        onSuccess: () => {
          void message.success(t('targets.teams.saved'));
          onClose();
        },
        onError: (error) => {
          setGeneralError(formErrorText(t, form, error));
        },
      },
    );
  };

  return (
    <Modal
      open
      title={team ? t('targets.teams.edit') : t('targets.teams.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      forceRender
    >
      <Form<Values>
        form={form}
        layout="vertical"
        name="team-form"
        onFinish={submit}
        initialValues={{
          name: team?.name ?? '',
          leader_name: team?.leader_name ?? '',
          industries: team?.industries ?? [],
          member_org_ids: team?.members.map((m) => m.id) ?? [],
        }}
      >
        {generalError && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={generalError} role="alert" />}
        <Form.Item name="name" label={t('targets.teams.name')} rules={[{ required: true, whitespace: true, message: t('targets.teams.nameRequired') }]}>
          <Input maxLength={200} placeholder={t('targets.teams.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="leader_name" label={t('targets.teams.leader')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="industries" label={t('targets.teams.industries')}>
          <Select mode="tags" tokenSeparators={[',', '，', '、']} placeholder={t('targets.teams.industriesPlaceholder')} aria-label={t('targets.teams.industries')} open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item name="member_org_ids" label={t('targets.teams.members')}>
          <Select mode="multiple" optionFilterProp="label" options={options} aria-label={t('targets.teams.members')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A programme's industrial-chain teams: leader, industries and member units. */
export function TeamsPanel({ programmeId, units, editable }: { programmeId: number; units: readonly Unit[]; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const teams = useQuery(teamsQuery(programmeId));
  const remove = useDeleteTeam(programmeId);
  const [editing, setEditing] = useState<TeamRead | 'new' | null>(null);

  if (teams.isError) return <ErrorResult error={teams.error} onRetry={() => void teams.refetch()} />;

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {editable && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="team-add">
          {t('targets.teams.add')}
        </Button>
      )}
      <Table<TeamRead>
        rowKey="id"
        size="small"
        loading={teams.isPending}
        dataSource={teams.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('targets.teams.empty') }}
        data-testid="team-table"
        columns={[
          { key: 'name', title: t('targets.teams.name'), dataIndex: 'name' },
          { key: 'leader', title: t('targets.teams.leader'), render: (_, team) => team.leader_name || '—' },
          {
            key: 'industries',
            title: t('targets.teams.industries'),
            render: (_, team) => (
              <Space size={[0, 4]} wrap>
                {team.industries.map((industry) => (
                  <Tag key={industry}>{industry}</Tag>
                ))}
              </Space>
            ),
          },
          {
            key: 'members',
            title: t('targets.teams.members'),
            render: (_, team) => team.members.map((member) => member.name).join('、') || '—',
          },
          ...(editable
            ? [
                {
                  key: 'actions',
                  title: t('common.actions'),
                  render: (_: unknown, team: TeamRead) => (
                    <Space size={4}>
                      <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(team)}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={t('targets.teams.deleteConfirm', { name: team.name })}
                        okText={t('common.ok')}
                        cancelText={t('common.cancel')}
                        onConfirm={() =>
                          remove.mutateAsync(team.id).then(
                            () => void message.success(t('targets.teams.deleted')),
                            (error: unknown) => void message.error(describeError(t, error).title),
                          )
                        }
                      >
                        <Button size="small" danger icon={<DeleteOutlined />} aria-label={`${t('targets.teams.delete')} ${team.name}`} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <TeamFormModal programmeId={programmeId} team={editing === 'new' ? null : editing} units={units} onClose={() => setEditing(null)} />}
    </Space>
  );
}
