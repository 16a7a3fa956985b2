import { QrcodeOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { CycleRead, MeetingRead, TokensIssued } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { tokenSummaryQuery, useIssueTokens, useRevokeTokens } from '../api';
import { TokenSheet } from './TokenSheet';

/** A token from a pasted line: the bare code, or the last part of a /vote/<token> link. */
export function tokenFromLine(line: string): string | null {
  const text = line.trim();
  if (!text) return null;
  const match = /\/vote\/([A-Za-z0-9_-]+)\/?$/.exec(text);
  return match ? match[1]! : text;
}

interface Props {
  meeting: MeetingRead;
  groups: CycleRead['groups'];
}

/** Issue one-time ballot tokens for a group and print them; see and revoke what was issued. */
export function TokenPanel({ meeting, groups }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const summary = useQuery(tokenSummaryQuery(meeting.id));
  const issue = useIssueTokens(meeting.id);
  const revoke = useRevokeTokens(meeting.id);
  const [issued, setIssued] = useState<TokensIssued | null>(null);
  const [revokeText, setRevokeText] = useState('');
  const anonymous = groups.filter((group) => group.anonymous);
  const choices = anonymous.length > 0 ? anonymous : groups;
  const groupName = (key: string) => groups.find((group) => group.key === key)?.name ?? key;

  const generate = (values: { group_key: string; count: number }) => {
    issue.mutate(values, {
      onSuccess: setIssued,
      onError: (error) => void message.error(describeError(t, error).detail ?? describeError(t, error).title),
    });
  };

  const submitRevoke = () => {
    const tokens = [...new Set(revokeText.split(/\r?\n/).map(tokenFromLine).filter((x): x is string => x !== null))];
    if (tokens.length === 0) return;
    revoke.mutate(tokens, {
      onSuccess: (answer) => {
        setRevokeText('');
        void message.success(t('meetings.tokens.revokedCount', { count: answer.revoked }));
      },
      onError: (error) => void message.error(describeError(t, error).detail ?? describeError(t, error).title),
    });
  };

  return (
    <Card title={t('meetings.tokens.title')} data-testid="token-panel">
      <Form
        layout="inline"
        onFinish={generate}
        initialValues={{ group_key: choices[0]?.key, count: 20 }}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="group_key" label={t('meetings.tokens.group')} rules={[{ required: true, message: t('meetings.tokens.groupRequired') }]}>
          <Select
            style={{ width: 200 }}
            options={choices.map((group) => ({
              value: group.key,
              label: `${group.name}（${group.anonymous ? t('meetings.tokens.anonymous') : t('meetings.tokens.named')}）`,
            }))}
            data-testid="token-group"
          />
        </Form.Item>
        <Form.Item name="count" label={t('meetings.tokens.count')} rules={[{ required: true }]}>
          <InputNumber min={1} max={500} precision={0} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<QrcodeOutlined />} loading={issue.isPending} data-testid="generate-tokens">
            {t('meetings.tokens.generate')}
          </Button>
        </Form.Item>
      </Form>

      <Table
        size="small"
        rowKey="group_key"
        pagination={false}
        loading={summary.isPending}
        dataSource={summary.data ?? []}
        locale={{ emptyText: t('meetings.tokens.noneYet') }}
        columns={[
          { title: t('meetings.tokens.group'), dataIndex: 'group_key', render: (key: string) => groupName(key) },
          { title: t('meetings.tokens.issued'), dataIndex: 'issued', align: 'right' },
          { title: t('meetings.tokens.used'), dataIndex: 'used', align: 'right' },
          { title: t('meetings.tokens.revoked'), dataIndex: 'revoked', align: 'right' },
        ]}
        data-testid="token-summary"
      />

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('meetings.tokens.revokeTitle')}
      </Typography.Title>
      <Space.Compact style={{ width: '100%' }} direction="vertical">
        <Input.TextArea
          rows={3}
          value={revokeText}
          onChange={(event) => setRevokeText(event.target.value)}
          placeholder={t('meetings.tokens.revokeHint')}
          aria-label={t('meetings.tokens.revokeHint')}
          data-testid="revoke-tokens"
        />
        <Button
          danger
          icon={<StopOutlined />}
          onClick={submitRevoke}
          loading={revoke.isPending}
          disabled={!revokeText.trim()}
          data-testid="revoke-submit"
        >
          {t('meetings.tokens.revoke')}
        </Button>
      </Space.Compact>

      {issued && (
        <TokenSheet issued={issued} meetingTitle={meeting.title} groupName={groupName(issued.group_key)} onClose={() => setIssued(null)} />
      )}
    </Card>
  );
}
