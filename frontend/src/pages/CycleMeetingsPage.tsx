import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Breadcrumb, Button, Card, Col, Row, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { ErrorResult } from '../components/ErrorResult';
import { cycleMeetingsQuery, meetingCycleQuery } from '../features/meetings/api';
import { MeetingFormModal } from '../features/meetings/components/MeetingFormModal';
import { MeetingTable } from '../features/meetings/components/MeetingTable';
import { NotFoundPage } from './NotFoundPage';

export default function CycleMeetingsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const cycleId = Number(useParams().cycleId);
  const valid = Number.isInteger(cycleId) && cycleId > 0;
  const cycle = useQuery({ ...meetingCycleQuery(cycleId), enabled: valid });
  const meetings = useQuery({ ...cycleMeetingsQuery(cycleId), enabled: valid });
  const [creating, setCreating] = useState(false);

  if (!valid) return <NotFoundPage />;
  if (meetings.isError) return <ErrorResult error={meetings.error} onRetry={() => void meetings.refetch()} />;

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 16 }}
        items={[
          { title: <Link to="/meetings">{t('meetings.title')}</Link> },
          { title: <Link to={`/cycles/${cycleId}`}>{cycle.data?.name ?? `#${cycleId}`}</Link> },
        ]}
      />
      <Row justify="space-between" align="middle" style={{ marginBottom: 24 }}>
        <Col>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('meetings.cycleMeetings', { cycle: cycle.data?.name ?? `#${cycleId}` })}
          </Typography.Title>
        </Col>
        <Col>
          {(cycle.data?.can_manage ?? false) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-meeting">
              {t('meetings.create')}
            </Button>
          )}
        </Col>
      </Row>
      <Card>
        <MeetingTable meetings={meetings.data ?? []} loading={meetings.isPending} />
      </Card>
      {creating && (
        <MeetingFormModal cycleId={cycleId} onClose={() => setCreating(false)} onCreated={(m) => navigate(`/meetings/${m.id}`)} />
      )}
    </>
  );
}
