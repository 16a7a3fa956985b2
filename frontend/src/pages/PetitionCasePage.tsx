import { useQuery } from '@tanstack/react-query';
import { Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';

import { ErrorResult } from '../components/ErrorResult';
import { FullPageSpinner } from '../components/FullPageSpinner';
import { hasRole, useMe } from '../features/auth/api';
import { OrgSelect } from '../features/orgs/components/OrgSelect';
import { caseDetailQuery } from '../features/petitions/api';
import { AppointmentPanel } from '../features/petitions/components/AppointmentPanel';
import { CaseActions } from '../features/petitions/components/CaseActions';
import { CaseTimeline } from '../features/petitions/components/CaseTimeline';
import { StatusTag } from '../features/petitions/components/StatusTag';

export default function PetitionCasePage() {
  const { t } = useTranslation();
  const { caseId } = useParams();
  const id = Number(caseId);
  const me = useMe();
  const canManage = hasRole(me.data, ['admin', 'clerk']);
  const detail = useQuery({ ...caseDetailQuery(id), enabled: Number.isInteger(id) && id > 0 });

  if (detail.isError) return <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />;
  if (!detail.data) return <FullPageSpinner />;
  const c = detail.data;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Link to="/petitions">{t('petitions.backToList')}</Link>
      <Space align="center" wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="case-title">
          {t('petitions.caseTitle', { number: c.external_id })}
        </Typography.Title>
        <StatusTag status={c.status} />
        {c.overdue && <Tag color="error">{t('petitions.overdue')}</Tag>}
      </Space>
      {canManage && (
        <CaseActions petition={c} holderPicker={<OrgSelect kinds={['township', 'working_committee', 'department']} />} />
      )}
      <Row gutter={[24, 24]}>
        <Col xs={24} xl={14}>
          <Card>
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('petitions.township')}>{c.org?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('petitions.department')}>{c.department?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('petitions.owner')}>{c.owner.name}</Descriptions.Item>
              <Descriptions.Item label={t('petitions.holder')}>{c.holder.name}</Descriptions.Item>
              <Descriptions.Item label={t('petitions.category')}>{c.category}</Descriptions.Item>
              <Descriptions.Item label={t('petitions.receivedDate')}>{c.received_date}</Descriptions.Item>
              <Descriptions.Item label={t('petitions.petitioner')}>{c.petitioner_name}</Descriptions.Item>
              <Descriptions.Item label={t('petitions.phone')}>{c.petitioner_phone}</Descriptions.Item>
              <Descriptions.Item label={t('petitions.stageLabel')}>{t(`petitions.stage.${c.stage}`)}</Descriptions.Item>
              <Descriptions.Item label={t('petitions.dueDate')}>{c.due_date ?? '—'}</Descriptions.Item>
              {c.extended && (
                <Descriptions.Item label={t('petitions.extensionReason')}>{c.extension_reason}</Descriptions.Item>
              )}
              {c.resolved_date && <Descriptions.Item label={t('petitions.resolvedDate')}>{c.resolved_date}</Descriptions.Item>}
              {c.status === 'closed' && (
                <Descriptions.Item label={t('petitionDesk.satisfaction.label')}>
                  <span data-testid="case-satisfaction-value">{t(`petitionDesk.satisfaction.${c.satisfaction ?? 'none'}`)}</span>
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('petitions.summary')} span={2}>
                {c.summary}
              </Descriptions.Item>
              {c.note && (
                <Descriptions.Item label={t('petitions.note')} span={2}>
                  {c.note}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <Card title={t('petitions.appointments')} style={{ marginTop: 24 }}>
            <AppointmentPanel caseId={c.id} appointments={c.appointments} canManage={canManage} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('petitions.timeline')}>
            <CaseTimeline events={c.events} />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
