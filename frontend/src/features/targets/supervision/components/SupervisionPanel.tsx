import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Popconfirm, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { LedgerStatus, ProgrammeRead, UserRead } from '../../../../api/types';
import { ErrorResult } from '../../../../components/ErrorResult';
import { unitsQuery } from '../../api';
import { todayInBeijing } from '../../logic';
import { roundsQuery, useDeleteFinding, useDeleteRound } from '../api';
import { findingOverdue, maySupervise } from '../logic';
import type { Finding, SupervisionRound, UnitRef } from '../types';
import { useFail } from './BulletinActions';
import { FindingModal, RoundModal } from './SupervisionForms';

// The ledger's own colours for an item's status (its words are the ledger's too).
const ITEM_COLOURS: Record<LedgerStatus, string> = { open: 'default', in_progress: 'processing', done: 'warning', verified: 'success', rejected: 'error' };

const BODY_COLOURS = { congress: 'red', cppcc: 'purple', office: 'blue', other: 'default' } as const;

/** A finding's ledger item: a link to it with its status (and 逾期 once past the deadline while still open). */
function FindingItem({ finding, today }: { finding: Finding; today: string }) {
  const { t } = useTranslation();
  if (!finding.item) return <Typography.Text type="secondary">{t('supervision.findings.noItem')}</Typography.Text>;
  return (
    <Space size={4} wrap>
      <Link to={`/ledger/items/${finding.item.id}`} data-testid="finding-item">
        {t('supervision.findings.itemLink', { id: finding.item.id })}
      </Link>
      <Tag color={ITEM_COLOURS[finding.item.status]} data-testid="finding-status">
        {t(`ledger.status.${finding.item.status}`)}
      </Tag>
      {findingOverdue(finding, today) && <Tag color="error">{t('supervision.findings.overdue')}</Tag>}
    </Space>
  );
}

function FindingsTable({
  round,
  onEdit,
  programmeId,
}: {
  round: SupervisionRound;
  onEdit: (finding: Finding) => void;
  programmeId: number;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fail = useFail();
  const remove = useDeleteFinding(programmeId);
  const today = todayInBeijing();
  return (
    <Table<Finding>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={round.findings}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('supervision.findings.empty') }}
      data-testid="findings-table"
      columns={[
        { key: 'unit', title: t('supervision.findings.unit'), render: (_, f) => f.org.name },
        { key: 'visited', title: t('supervision.findings.visitedOn'), render: (_, f) => f.visited_on },
        {
          key: 'finding',
          title: t('supervision.findings.finding'),
          render: (_, f) => <div style={{ minWidth: 200, maxWidth: 420, whiteSpace: 'pre-wrap' }}>{f.finding}</div>,
        },
        { key: 'deadline', title: t('supervision.findings.deadline'), render: (_, f) => f.deadline },
        { key: 'item', title: t('supervision.findings.item'), render: (_, f) => <FindingItem finding={f} today={today} /> },
        ...(round.may_supervise
          ? [
              {
                key: 'actions',
                title: t('common.actions'),
                render: (_: unknown, f: Finding) => (
                  <Space size={0}>
                    <Button type="link" size="small" icon={<EditOutlined />} onClick={() => onEdit(f)} aria-label={t('supervision.findings.edit')} />
                    <Popconfirm
                      title={<div style={{ maxWidth: 260 }}>{t('supervision.findings.deleteConfirm')}</div>}
                      okText={t('common.ok')}
                      cancelText={t('common.cancel')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => remove.mutateAsync(f.id).then(() => void message.success(t('supervision.rounds.deleted')), fail)}
                    >
                      <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('supervision.findings.delete')} />
                    </Popconfirm>
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

type Editing = { kind: 'round'; round: SupervisionRound | null } | { kind: 'finding'; round: SupervisionRound; finding: Finding | null } | null;

/** 督查 for one programme: its rounds (who, when, what was seen) and their findings per unit, each a ledger item to put right. */
export function SupervisionPanel({ programme, user }: { programme: ProgrammeRead; user: UserRead | undefined }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fail = useFail();
  const rounds = useQuery(roundsQuery(programme.id));
  const supervises = maySupervise(user, programme);
  const units = useQuery({ ...unitsQuery(programme.host.id), enabled: supervises });
  const removeRound = useDeleteRound(programme.id);
  const [editing, setEditing] = useState<Editing>(null);
  const unitRefs: UnitRef[] = (units.data ?? []).map((org) => ({ id: org.id, code: org.code, name: org.name }));

  if (rounds.isError) return <ErrorResult error={rounds.error} onRetry={() => void rounds.refetch()} />;
  if (rounds.isPending) return <Skeleton active />;
  const open = programme.status !== 'closed';

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {supervises && open ? (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'round', round: null })} data-testid="round-add">
          {t('supervision.rounds.add')}
        </Button>
      ) : (
        !supervises && <Alert type="info" showIcon message={t('supervision.rounds.readOnly')} />
      )}
      {rounds.data.length === 0 && <Empty description={t('supervision.rounds.empty')} />}
      {rounds.data.map((round) => (
        <Card
          key={round.id}
          size="small"
          data-testid="round"
          title={
            <Space wrap size={[8, 0]} style={{ whiteSpace: 'normal' }}>
              <Tag color={BODY_COLOURS[round.body]}>{t(`supervision.bodies.${round.body}`)}</Tag>
              <Typography.Text strong>{round.title}</Typography.Text>
            </Space>
          }
          extra={
            round.may_supervise && open ? (
              <Space size={0} wrap>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ kind: 'round', round })} aria-label={t('supervision.rounds.edit')} />
                <Popconfirm
                  title={<div style={{ maxWidth: 280 }}>{t('supervision.rounds.deleteConfirm', { title: round.title })}</div>}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => removeRound.mutateAsync(round.id).then(() => void message.success(t('supervision.rounds.deleted')), fail)}
                >
                  <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('supervision.rounds.delete')} />
                </Popconfirm>
              </Space>
            ) : null
          }
        >
          <Space direction="vertical" size="small" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {`${t('supervision.rounds.dates')}：${round.started_on}${round.ended_on && round.ended_on !== round.started_on ? ` ~ ${round.ended_on}` : ''} · ${t('supervision.rounds.findingsCount', { count: round.findings.length })}`}
            </Typography.Text>
            {round.summary && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{round.summary}</Typography.Paragraph>}
            <FindingsTable round={round} programmeId={programme.id} onEdit={(finding) => setEditing({ kind: 'finding', round, finding })} />
            {round.may_supervise && open && (
              <Button icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'finding', round, finding: null })} data-testid="finding-add">
                {t('supervision.findings.add')}
              </Button>
            )}
          </Space>
        </Card>
      ))}
      {editing?.kind === 'round' && <RoundModal programme={programme} round={editing.round} onClose={() => setEditing(null)} />}
      {editing?.kind === 'finding' && (
        <FindingModal programme={programme} round={editing.round} finding={editing.finding} units={unitRefs} onClose={() => setEditing(null)} />
      )}
    </Space>
  );
}
