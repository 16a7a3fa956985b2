import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Radio, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';

import { ErrorResult } from '../components/ErrorResult';
import { FullPageSpinner } from '../components/FullPageSpinner';
import { PaperImport } from '../features/meetings/components/PaperImport';
import { PaperReconciliation } from '../features/meetings/components/PaperReconciliation';
import { PaperSheetForm } from '../features/meetings/components/PaperSheetForm';
import { paperFormQuery, type Entry, type PaperForm } from '../features/meetings/paper';
import { NotFoundPage } from './NotFoundPage';

/** The entry a clerk most likely makes: the one they already began, else the second when another clerk made the first. */
export function likelyEntry(form: PaperForm): Entry {
  if (form.entered_by_me['2'] > 0) return 2;
  if (form.entered_by_me['1'] > 0) return 1;
  return form.entered['1'] > 0 ? 2 : 1;
}

function PaperBallots({ meetingId, form }: { meetingId: number; form: PaperForm }) {
  const { t } = useTranslation();
  const [entry, setEntry] = useState<Entry>(() => likelyEntry(form));
  const entryName = t(entry === 1 ? 'paper.entry.first' : 'paper.entry.second');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="paper-page">
      <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('paper.meeting', { title: form.meeting_title })}
        </Typography.Title>
        <Link to={`/meetings/${meetingId}`}>
          <Button icon={<ArrowLeftOutlined />}>{t('paper.back')}</Button>
        </Link>
      </Space>
      {form.status === 'scheduled' && <Alert type="warning" showIcon message={t('paper.notStarted')} />}
      <Card size="small">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap align="center">
            <Typography.Text strong>{t('paper.entry.label')}</Typography.Text>
            <Radio.Group
              value={entry}
              optionType="button"
              buttonStyle="solid"
              onChange={(event) => setEntry(event.target.value as Entry)}
              options={[
                { value: 1, label: t('paper.entry.first') },
                { value: 2, label: t('paper.entry.second') },
              ]}
              data-testid="paper-entry"
            />
          </Space>
          <Alert
            type="info"
            showIcon
            message={<span data-testid="paper-doing">{t('paper.entry.doing', { entry: entryName })}</span>}
            description={
              <>
                <div>{t(entry === 1 ? 'paper.entry.hintFirst' : 'paper.entry.hintSecond')}</div>
                <div data-testid="paper-entered">
                  {t('paper.entry.counts', {
                    first: form.entered['1'],
                    mineFirst: form.entered_by_me['1'],
                    second: form.entered['2'],
                    mineSecond: form.entered_by_me['2'],
                  })}
                </div>
              </>
            }
          />
        </Space>
      </Card>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'enter', label: t('paper.tabs.enter'), children: <PaperSheetForm key={entry} meetingId={meetingId} form={form} entry={entry} /> },
          { key: 'reconcile', label: <span data-testid="paper-tab-reconcile">{t('paper.tabs.reconcile')}</span>, children: <PaperReconciliation meetingId={meetingId} form={form} /> },
          { key: 'import', label: <span data-testid="paper-tab-import">{t('paper.tabs.import')}</span>, children: <PaperImport meetingId={meetingId} form={form} entry={entry} /> },
        ]}
      />
    </Space>
  );
}

/** Paper ballots of a meeting: two clerks enter each sheet, the entries are reconciled, agreeing sheets counted. */
export default function PaperBallotsPage() {
  const meetingId = Number(useParams().meetingId);
  const valid = Number.isInteger(meetingId) && meetingId > 0;
  const form = useQuery({ ...paperFormQuery(meetingId), enabled: valid });
  if (!valid) return <NotFoundPage />;
  if (form.isPending) return <FullPageSpinner />;
  if (form.isError) return <ErrorResult error={form.error} onRetry={() => void form.refetch()} />;
  return <PaperBallots meetingId={meetingId} form={form.data} />;
}
