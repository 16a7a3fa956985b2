import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Row, Space, Statistic, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { ErrorResult } from '../components/ErrorResult';
import { hasRole, useMe } from '../features/auth/api';
import { CyclePicker } from '../features/cycles/components/CyclePicker';
import { noticesQuery, resultCycleQuery, resultsQuery } from '../features/results/api';
import { awaitingNotice, NoticeBatchModal } from '../features/results/components/NoticeBatch';
import { NoticeFormModal, NoticeTable } from '../features/results/components/Notices';
import { STAGES_WITH_RESULTS } from '../features/results/model';

/** 整改通知书: staff issue and follow them per cycle; a secretary reads and acknowledges their own. */
export default function NoticesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const staff = hasRole(me.data, ['admin', 'clerk']);
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get('cycle'));
  const cycleId = Number.isInteger(raw) && raw > 0 ? raw : undefined;
  const notices = useQuery(noticesQuery(cycleId));
  const cycle = useQuery({ ...resultCycleQuery(cycleId ?? 0), enabled: staff && cycleId !== undefined });
  const results = useQuery({ ...resultsQuery(cycleId ?? 0), enabled: staff && cycleId !== undefined });
  const [issuing, setIssuing] = useState(false);
  const [issuingAll, setIssuingAll] = useState(false);

  const list = useMemo(() => notices.data ?? [], [notices.data]);
  const flagged = useMemo(() => (results.data?.items ?? []).filter((item) => item.flagged), [results.data]);
  const noticed = useMemo(() => new Set(list.map((notice) => notice.report_id)), [list]);
  const published = results.data?.status === 'published';
  const manages = staff && (cycle.data?.can_manage ?? false);
  const ownOrg = me.data?.org_id ?? null;
  const pending = useMemo(() => awaitingNotice(flagged, noticed), [flagged, noticed]);
  const awaiting = list.filter((notice) => notice.status === 'issued' && notice.org_id === ownOrg);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Row justify="space-between" align="middle" gutter={[16, 16]}>
        <Col>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {staff ? t('results.notices.title') : t('results.notices.mine')}
          </Typography.Title>
        </Col>
        <Col>
          <Space wrap>
            <CyclePicker
              value={cycleId}
              allowAll
              prefer={STAGES_WITH_RESULTS}
              onChange={(next) => setParams(next ? { cycle: String(next) } : {})}
            />
            {staff && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                disabled={!manages || !published || flagged.length === 0}
                title={cycleId === undefined ? t('results.pickCycleFirst') : undefined}
                onClick={() => setIssuing(true)}
                data-testid="issue-notice"
              >
                {t('results.notices.issue')}
              </Button>
            )}
            {staff && manages && published && (
              <Button
                disabled={pending.length === 0}
                title={pending.length === 0 ? t('batch.notices.none') : undefined}
                onClick={() => setIssuingAll(true)}
                data-testid="issue-notices-all"
              >
                {t('batch.notices.issue', { count: pending.length })}
              </Button>
            )}
          </Space>
        </Col>
      </Row>
      {!staff && awaiting.length > 0 && (
        <Alert type="warning" showIcon message={t('results.notices.awaiting', { count: awaiting.length })} data-testid="notices-awaiting" />
      )}
      {staff && cycleId !== undefined && results.isSuccess && !published && (
        <Alert type="info" showIcon message={t('results.notices.afterPublication')} />
      )}
      {staff && (
        <Row gutter={16}>
          <Col xs={8}>
            <Card size="small">
              <Statistic title={t('results.notices.count')} value={list.length} />
            </Card>
          </Col>
          <Col xs={8}>
            <Card size="small">
              <Statistic title={t('results.notices.status.acknowledged')} value={list.filter((n) => n.status === 'acknowledged').length} />
            </Card>
          </Col>
          <Col xs={8}>
            <Card size="small">
              <Statistic title={t('results.notices.overdue')} value={list.filter((n) => n.overdue).length} valueStyle={{ color: '#cf1322' }} />
            </Card>
          </Col>
        </Row>
      )}
      <Card>
        {notices.isError ? (
          <ErrorResult error={notices.error} onRetry={() => void notices.refetch()} />
        ) : (
          <NoticeTable
            notices={list}
            loading={notices.isPending}
            canAcknowledge={(notice) => hasRole(me.data, ['secretary']) && notice.org_id === ownOrg}
          />
        )}
      </Card>
      {issuingAll && cycleId !== undefined && <NoticeBatchModal cycleId={cycleId} units={pending} onClose={() => setIssuingAll(false)} />}
      {issuing && cycleId !== undefined && (
        <NoticeFormModal cycleId={cycleId} flagged={flagged} noticed={noticed} onClose={() => setIssuing(false)} />
      )}
    </Space>
  );
}
