import { CalculatorOutlined, CloudUploadOutlined, RollbackOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Popconfirm, Result, Row, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { isApiError } from '../api/problem';
import type { ResultItem, ResultsRead } from '../api/types';
import { ErrorResult } from '../components/ErrorResult';
import { StageTag } from '../components/StageTag';
import { hasRole, useMe } from '../features/auth/api';
import { CyclePicker } from '../features/cycles/components/CyclePicker';
import { BoardLinks } from '../features/ledger/components/BoardLinks';
import { downloadResultsWorkbook, resultCycleQuery, resultsQuery, useComputeResults } from '../features/results/api';
import { BulletinButton } from '../features/results/components/Bulletin';
import { DownloadButton } from '../features/results/components/DownloadButton';
import { ExplainDrawer } from '../features/results/components/ExplainDrawer';
import { OrgHistoryModal } from '../features/results/components/History';
import { PrintButton, PrintTitle, usePrintableRanking } from '../features/results/components/PrintRanking';
import { MissingIndicators } from '../features/results/components/MissingIndicators';
import { PublishDialog } from '../features/results/components/PublishDialog';
import { RankingTable } from '../features/results/components/RankingTable';
import { ReopenDialog } from '../features/results/components/ReopenDialog';
import { ItemRadar, RankingChart, TierChart } from '../features/results/components/ResultCharts';
import { STAGES_WITH_RESULTS } from '../features/results/model';
import { formatDateTime } from '../lib/datetime';
import { describeError } from '../lib/errors';
import { NotFoundPage } from './NotFoundPage';

function ComputeButton({ cycleId, recompute, disabledReason }: { cycleId: number; recompute: boolean; disabledReason?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const compute = useComputeResults(cycleId);
  const run = () =>
    compute.mutateAsync().then(
      () => void message.success(t('results.compute.done')),
      (cause: unknown) => {
        const { title, detail } = describeError(t, cause);
        void message.error(detail ? `${title}: ${detail}` : title);
      },
    );
  const button = (
    <Button
      type={recompute ? 'default' : 'primary'}
      icon={<CalculatorOutlined />}
      loading={compute.isPending}
      disabled={Boolean(disabledReason)}
      onClick={recompute ? undefined : () => void run()}
      data-testid="compute-results"
    >
      {recompute ? t('results.compute.again') : t('results.compute.action')}
    </Button>
  );
  if (disabledReason) return <Tooltip title={disabledReason}>{button}</Tooltip>;
  if (!recompute) return button;
  return (
    <Popconfirm title={t('results.compute.confirm')} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={run}>
      {button}
    </Popconfirm>
  );
}

/** 综合评价 of one cycle: ranking, charts, explanations; compute, publish, reopen, export. */
export default function CycleResultsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const cycleId = Number(useParams().cycleId);
  const valid = Number.isInteger(cycleId) && cycleId > 0;
  const cycle = useQuery({ ...resultCycleQuery(cycleId), enabled: valid });
  const results = useQuery({ ...resultsQuery(cycleId), enabled: valid });
  const [explaining, setExplaining] = useState<ResultItem | null>(null);
  const [history, setHistory] = useState<ResultItem | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [reopening, setReopening] = useState(false);
  usePrintableRanking();

  if (!valid) return <NotFoundPage />;
  if (cycle.isError) return <ErrorResult error={cycle.error} onRetry={() => void cycle.refetch()} />;

  const manages = cycle.data?.can_manage ?? false;
  const admin = hasRole(me.data, ['admin']);
  const secretary = hasRole(me.data, ['secretary']);
  const stage = cycle.data?.stage;
  const data: ResultsRead | null | undefined = results.data;
  const published = data?.status === 'published';
  const computeBlocked = stage !== 'assessment' ? t('results.compute.wrongStage') : published ? t('results.compute.frozen') : undefined;

  const header = (
    <Row justify="space-between" align="middle" gutter={[16, 16]} style={{ marginBottom: 16 }} className="results-no-print">
      <Col>
        <Space align="center" wrap>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="results-title">
            {t('results.cycleTitle', { cycle: cycle.data?.name ?? `#${cycleId}` })}
          </Typography.Title>
          {stage && <StageTag stage={stage} />}
          {data && (
            <Tag color={published ? 'green' : 'gold'} data-testid="results-status">
              {t(`results.status.${data.status}`)}
            </Tag>
          )}
        </Space>
      </Col>
      <Col>
        <CyclePicker value={cycleId} prefer={STAGES_WITH_RESULTS} onChange={(next) => next && navigate(`/cycles/${next}/results`)} />
      </Col>
    </Row>
  );

  let body;
  if (results.isPending || cycle.isPending) body = <Skeleton active paragraph={{ rows: 10 }} />;
  else if (results.isError) {
    body =
      isApiError(results.error) && results.error.status === 403 ? (
        <Result status="info" title={t('results.notPublished')} subTitle={t('results.notPublishedDetail')} />
      ) : (
        <ErrorResult error={results.error} onRetry={() => void results.refetch()} />
      );
  } else if (data === null || data === undefined) {
    body = (
      <div data-testid="results-not-computed">
      <Result
        status="info"
        title={t('results.notComputed')}
        subTitle={manages ? (stage === 'assessment' ? t('results.notComputedStaff') : t('results.compute.wrongStage')) : t('results.notComputedDetail')}
        extra={manages && <ComputeButton cycleId={cycleId} recompute={false} disabledReason={stage === 'assessment' ? undefined : t('results.compute.wrongStage')} />}
      />
      </div>
    );
  } else {
    const flagged = data.items.filter((item) => item.flagged).length;
    body = (
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card className="results-no-print">
          <Row justify="space-between" align="top" gutter={[16, 16]}>
            <Col flex="auto">
              <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
                <Descriptions.Item label={t('results.reports')}>{data.items.length}</Descriptions.Item>
                <Descriptions.Item label={t('results.flaggedCount')}>{flagged}</Descriptions.Item>
                <Descriptions.Item label={t('results.computedAt')}>{formatDateTime(data.computed_at)}</Descriptions.Item>
                <Descriptions.Item label={t('results.publishedAt')}>{data.published_at ? formatDateTime(data.published_at) : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('results.hash')}>
                  <Typography.Text code copyable={{ text: data.hash }}>
                    {data.hash.slice(0, 12)}
                  </Typography.Text>
                </Descriptions.Item>
              </Descriptions>
            </Col>
            <Col>
              <Space wrap align="start">
                {manages && <ComputeButton cycleId={cycleId} recompute disabledReason={computeBlocked} />}
                {admin && !published && (
                  <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => setPublishing(true)} data-testid="publish-results">
                    {t('results.publish.action')}
                  </Button>
                )}
                {admin && published && (
                  <Button danger icon={<RollbackOutlined />} onClick={() => setReopening(true)} data-testid="reopen-results">
                    {t('results.reopen.action')}
                  </Button>
                )}
                <DownloadButton testId="download-xlsx" download={(onProgress) => downloadResultsWorkbook(cycleId, onProgress)}>
                  {t('results.download.xlsx')}
                </DownloadButton>
                <BulletinButton cycleId={cycleId} published={published} />
                <PrintButton />
                {published && <BoardLinks poster={manages} />}
                {manages && (
                  <>
                    <Link to={`/interviews?cycle=${cycleId}`}>
                      <Button>{t('results.interviews.title')}</Button>
                    </Link>
                    <Link to={`/notices?cycle=${cycleId}`}>
                      <Button>{t('results.notices.title')}</Button>
                    </Link>
                  </>
                )}
              </Space>
            </Col>
          </Row>
        </Card>
        <MissingIndicators summary={data} />
        <Row gutter={[24, 24]}>
          <Col xs={24} xl={14} className="results-no-print">
            <RankingChart items={data.items} maxTotal={data.max_total} />
          </Col>
          <Col xs={24} xl={10}>
            <Space direction="vertical" size="large" style={{ width: '100%' }}>
              <TierChart items={data.items} />
              <div className="results-no-print">
                <ItemRadar
                  cycleId={cycleId}
                  defaultReportId={data.items.find((item) => secretary && item.org_id === me.data?.org_id)?.report_id}
                />
              </div>
            </Space>
          </Col>
        </Row>
        <Card title={t('results.ranking')}>
          <RankingTable
            items={data.items}
            maxTotal={data.max_total}
            onExplain={manages ? setExplaining : undefined}
            onHistory={manages || secretary ? setHistory : undefined}
            ownOrgId={secretary ? (me.data?.org_id ?? null) : undefined}
            titles={data.item_titles}
          />
        </Card>
        {publishing && <PublishDialog cycleId={cycleId} results={data} onClose={() => setPublishing(false)} />}
        {reopening && <ReopenDialog cycleId={cycleId} onClose={() => setReopening(false)} />}
      </Space>
    );
  }

  return (
    <>
      <PrintTitle cycleName={cycle.data?.name ?? ''} />
      {header}
      {body}
      <ExplainDrawer cycleId={cycleId} reportId={explaining?.report_id ?? null} orgName={explaining?.org_name} onClose={() => setExplaining(null)} />
      <OrgHistoryModal orgId={history?.org_id ?? null} orgName={history?.org_name} onClose={() => setHistory(null)} />
    </>
  );
}
