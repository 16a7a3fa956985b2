import { useQuery } from '@tanstack/react-query';
import { Card, Col, Descriptions, List, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';

import { ErrorResult } from '../components/ErrorResult';
import { FullPageSpinner } from '../components/FullPageSpinner';
import { hasRole, useMe } from '../features/auth/api';
import { itemQuery } from '../features/ledger/api';
import { Deadline } from '../features/ledger/components/Deadline';
import { EvidencePanel } from '../features/ledger/components/EvidencePanel';
import { ItemActions } from '../features/ledger/components/ItemActions';
import { ItemEditModal } from '../features/ledger/components/ItemEditModal';
import { ItemTimeline } from '../features/ledger/components/ItemTimeline';
import { MergeModal } from '../features/ledger/components/MergeModal';
import { NotesPanel } from '../features/ledger/components/NotesPanel';
import { PublicityCard } from '../features/ledger/components/PublicityCard';
import { StatusTag } from '../features/ledger/components/StatusTag';
import { formatDateTime } from '../lib/datetime';

/** One ledger item: details, the steps the user may take, sources, progress, evidence and history. */
export default function LedgerItemPage() {
  const { t } = useTranslation();
  const id = Number(useParams().itemId);
  const me = useMe();
  const staff = hasRole(me.data, ['admin', 'clerk']);
  const detail = useQuery({ ...itemQuery(id), enabled: Number.isInteger(id) && id > 0 });

  if (detail.isError) return <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />;
  if (!detail.data) return <FullPageSpinner />;
  const item = detail.data;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Link to="/ledger">{t('ledger.backToList')}</Link>
      <Space align="center" wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="ledger-item-title">
          #{item.id} {item.title}
        </Typography.Title>
        <StatusTag status={item.status} overdue={item.overdue} dueSoon={item.due_soon} />
        {item.public && (
          <Tag color="green" data-testid="ledger-item-public">
            {t('ledger.publicity.shown')}
          </Tag>
        )}
      </Space>
      <Space wrap>
        <ItemActions item={item} />
        {item.can_edit && <ItemEditModal item={item} staff={staff} />}
        {item.can_publish && <MergeModal item={item} />}
      </Space>
      <Row gutter={[24, 24]}>
        <Col xs={24} xl={14}>
          <Card>
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('ledger.cycle')}>{item.cycle.name}</Descriptions.Item>
              <Descriptions.Item label={t('ledger.org')}>{item.org.name}</Descriptions.Item>
              <Descriptions.Item label={t('ledger.category')}>{item.category ?? t('ledger.uncategorised')}</Descriptions.Item>
              <Descriptions.Item label={t('ledger.owner')}>{item.owner?.full_name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('ledger.startDate')}>{item.start_date}</Descriptions.Item>
              <Descriptions.Item label={t('ledger.dueDate')}>
                <Deadline item={item} />
              </Descriptions.Item>
              <Descriptions.Item label={t('ledger.dueDays')}>{item.due_days}</Descriptions.Item>
              {item.done_date && <Descriptions.Item label={t('ledger.doneDate')}>{item.done_date}</Descriptions.Item>}
              {item.verified_date && <Descriptions.Item label={t('ledger.verifiedDate')}>{item.verified_date}</Descriptions.Item>}
              {item.status_reason && (
                <Descriptions.Item label={t('ledger.reason')} span={2}>
                  {item.status_reason}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('ledger.measures')} span={2}>
                {item.measures ?? <Typography.Text type="secondary">{t('ledger.noMeasures')}</Typography.Text>}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={`${t('ledger.opinions')} (${item.opinions.length})`} style={{ marginTop: 24 }}>
            <List
              size="small"
              dataSource={item.opinions}
              renderItem={(o) => (
                <List.Item key={o.id}>
                  <List.Item.Meta
                    title={
                      <Space wrap>
                        <Tag>{t(`ledger.source.${o.source}`)}</Tag>
                        {o.category && <Tag color="blue">{o.category}</Tag>}
                        {o.anonymous && <Tag>{t('ledger.anonymous')}</Tag>}
                        <Typography.Text type="secondary">{formatDateTime(o.created_at)}</Typography.Text>
                      </Space>
                    }
                    description={<Typography.Text>{o.text}</Typography.Text>}
                  />
                </List.Item>
              )}
              data-testid="ledger-opinions"
            />
          </Card>
          <Card title={t('ledger.notes')} style={{ marginTop: 24 }}>
            <NotesPanel itemId={item.id} notes={item.notes} canAdd={item.can_edit} />
          </Card>
          <Card title={t('ledger.evidence')} style={{ marginTop: 24 }}>
            <EvidencePanel itemId={item.id} evidence={item.evidence} canChange={item.can_edit || (staff && item.status === 'rejected')} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          {item.can_publish && (
            <Card title={t('ledger.publicity.title')} style={{ marginBottom: 24 }}>
              <PublicityCard item={item} />
            </Card>
          )}
          <Card title={t('ledger.timeline')}>
            <ItemTimeline events={item.events} />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
