import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Card, Descriptions, Grid, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';

import { ErrorResult } from '../components/ErrorResult';
import { FullPageSpinner } from '../components/FullPageSpinner';
import { formatDateTime } from '../lib/datetime';
import { bulletinQuery } from '../features/targets/supervision/api';
import { BulletinActions } from '../features/targets/supervision/components/BulletinActions';
import { BulletinChart } from '../features/targets/supervision/components/BulletinChart';
import { BulletinFacts } from '../features/targets/supervision/components/BulletinFacts';
import { BulletinStatusTag } from '../features/targets/supervision/components/BulletinStatusTag';
import { BulletinTable } from '../features/targets/supervision/components/BulletinTable';

/** 通报: one monthly bulletin — its heading, summary, chart and ranked table; download, and publish or withdraw for the office. */
export default function TargetBulletinPage() {
  const { t } = useTranslation();
  const { bulletinId } = useParams();
  const id = Number(bulletinId);
  const screens = Grid.useBreakpoint();
  const bulletin = useQuery({ ...bulletinQuery(id), enabled: Number.isInteger(id) && id > 0 });
  if (bulletin.isError) return <ErrorResult error={bulletin.error} onRetry={() => void bulletin.refetch()} />;
  if (bulletin.isPending) return <FullPageSpinner />;
  const b = bulletin.data;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          { title: <Link to={`/targets/bulletins?programme=${b.programme_id}`}>{t('supervision.bulletins.title')}</Link> },
          { title: t('supervision.bulletins.numberText', { number: b.number }) },
        ]}
      />
      <Space align="center" wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="bulletin-title">
          {b.title}
        </Typography.Title>
        <BulletinStatusTag status={b.status} />
      </Space>
      <Space wrap>
        <BulletinActions bulletin={b} />
      </Space>
      {b.status === 'draft' ? (
        <Alert type="info" showIcon message={t('supervision.bulletins.draftNotice')} />
      ) : (
        <Alert type="success" showIcon message={t('supervision.bulletins.publishedNotice', { at: formatDateTime(b.published_at) })} />
      )}
      {!b.may_publish && b.status === 'draft' && <Alert type="warning" showIcon message={t('supervision.bulletins.noPublishRight')} />}
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
          <Descriptions.Item label={t('supervision.bulletins.organ')}>{b.organ}</Descriptions.Item>
          <Descriptions.Item label={t('supervision.bulletins.docNumber')}>{b.doc_number}</Descriptions.Item>
          <Descriptions.Item label={t('supervision.bulletins.number')}>{t('supervision.bulletins.numberText', { number: b.number })}</Descriptions.Item>
          <Descriptions.Item label={t('supervision.bulletins.asOf')}>{b.as_of}</Descriptions.Item>
        </Descriptions>
        <BulletinFacts content={b} />
      </Card>
      <Card size="small" title={t('supervision.bulletins.summaryTitle')}>
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }} data-testid="bulletin-summary">
          {b.summary}
        </Typography.Paragraph>
      </Card>
      <Card size="small" title={t('supervision.bulletins.chart')}>
        <BulletinChart content={b} horizontal={!screens.md} />
      </Card>
      <Card size="small" title={t('supervision.bulletins.table')}>
        <BulletinTable content={b} />
      </Card>
    </Space>
  );
}
