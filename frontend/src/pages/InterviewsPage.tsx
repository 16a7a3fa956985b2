import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Row, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';

import { ErrorResult } from '../components/ErrorResult';
import { CyclePicker } from '../features/cycles/components/CyclePicker';
import { interviewsProbe, interviewsQuery, resultCycleQuery, resultsQuery } from '../features/results/api';
import { InterviewFormModal, InterviewTable } from '../features/results/components/Interviews';
import { STAGES_WITH_RESULTS } from '../features/results/model';

/** 约谈: a cycle's interviews with its flagged reports' secretaries, and the form to record one. */
export default function InterviewsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get('cycle'));
  const cycleId = Number.isInteger(raw) && raw > 0 ? raw : undefined;
  const cycle = useQuery({ ...resultCycleQuery(cycleId ?? 0), enabled: cycleId !== undefined });
  const results = useQuery({ ...resultsQuery(cycleId ?? 0), enabled: cycleId !== undefined });
  const interviews = useQuery({ ...interviewsQuery(cycleId ?? 0), enabled: cycleId !== undefined });
  const [recording, setRecording] = useState(false);

  const flagged = useMemo(() => (results.data?.items ?? []).filter((item) => item.flagged), [results.data]);
  const interviewed = useMemo(() => new Set((interviews.data ?? []).map((interview) => interview.report_id)), [interviews.data]);
  const pending = flagged.filter((item) => !interviewed.has(item.report_id));
  const published = results.data?.status === 'published';
  const manages = cycle.data?.can_manage ?? false;

  let body;
  if (cycleId === undefined) body = <Empty description={t('results.pickCycleFirst')} />;
  else if (interviews.isError) body = <ErrorResult error={interviews.error} onRetry={() => void interviews.refetch()} />;
  else
    body = (
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {results.isSuccess && !published && (
          <Alert type="info" showIcon message={t('results.interviews.afterPublication')} data-testid="interviews-unpublished" />
        )}
        {published && pending.length > 0 && (
          <Alert
            type="warning"
            showIcon
            message={t('results.interviews.pending', { count: pending.length })}
            description={
              <Space size={[4, 4]} wrap>
                {pending.map((item) => (
                  <Tag key={item.report_id} color="red">
                    {t('results.interviews.orgOption', { org: item.org_name, rank: item.rank ?? '—' })}
                  </Tag>
                ))}
              </Space>
            }
            data-testid="interviews-pending"
          />
        )}
        <InterviewTable interviews={interviews.data ?? []} loading={interviews.isPending} />
      </Space>
    );

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Row justify="space-between" align="middle" gutter={[16, 16]}>
        <Col>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('results.interviews.title')}
          </Typography.Title>
        </Col>
        <Col>
          <Space wrap>
            <CyclePicker
              pickDefault
              probe={interviewsProbe}
              value={cycleId}
              prefer={STAGES_WITH_RESULTS}
              // The cycle chosen on opening replaces the bare address, so Back leaves the page instead of choosing again.
              onChange={(next) => setParams(next ? { cycle: String(next) } : {}, { replace: cycleId === undefined })}
            />
            {cycleId !== undefined && <Link to={`/cycles/${cycleId}/results`}>{t('results.backToResults')}</Link>}
            {manages && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                disabled={!published || flagged.length === 0}
                onClick={() => setRecording(true)}
                data-testid="record-interview"
              >
                {t('results.interviews.record')}
              </Button>
            )}
          </Space>
        </Col>
      </Row>
      <Card>{body}</Card>
      {recording && cycleId !== undefined && (
        <InterviewFormModal cycleId={cycleId} flagged={flagged} interviewed={interviewed} onClose={() => setRecording(false)} />
      )}
    </Space>
  );
}
